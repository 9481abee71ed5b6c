import Foundation
import SparkConnectProtos
import SparkConnectTestKit
import SwiftProtobuf
import Testing

/// The protocol check itself: it names what Spark 3.5.6 lacks, down to the field, enum value or RPC.
/// (That every request the client builds passes it is shown in `Spark35SessionTests`.)
@Suite("Spark Connect protocol compatibility check")
struct ProtocolCompatibilityTests {
    let check: ProtocolCompatibility

    init() throws {
        check = try .spark43Against35()
    }

    func incompatibility(_ rpc: String, _ request: some SwiftProtobuf.Message) -> String? {
        do {
            try check.check(rpc: rpc, request: request)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a 4.x-only field is named with its path and number")
    func newField() {
        var sql = Spark_Connect_SQL()
        sql.query = "SELECT ?"
        sql.posArguments = [Spark_Connect_Expression()]
        var request = Spark_Connect_ExecutePlanRequest()
        request.sessionID = "s"
        request.plan.root.sql = sql
        #expect(incompatibility("ExecutePlan", request) == "ExecutePlanRequest.plan.root.sql.pos_arguments (field 5): not in Spark 3.5.6")

        // Spark 4's form of a SQL command (what a 4.x session sends), and its 3.5 form.
        var command = Spark_Connect_ExecutePlanRequest()
        command.plan.command.sqlCommand.input.sql.query = "SELECT 1"
        #expect(incompatibility("ExecutePlan", command) == "ExecutePlanRequest.plan.command.sql_command.input (field 6): not in Spark 3.5.6")
        command.plan.command.sqlCommand = Spark_Connect_SqlCommand()
        command.plan.command.sqlCommand.sql = "SELECT 1"
        #expect(incompatibility("ExecutePlan", command) == nil)
    }

    @Test("a 4.x-only enum value and a 4.x-only RPC are named")
    func newEnumValueAndRPC() throws {
        var request = Spark_Connect_ExecutePlanRequest()
        request.plan.root.aggregate.groupType = .groupingSets
        #expect(incompatibility("ExecutePlan", request)
            == "ExecutePlanRequest.plan.root.aggregate.group_type: value 5 (GROUP_TYPE_GROUPING_SETS) of spark.connect.Aggregate.GroupType not in Spark 3.5.6")
        request.plan.root.aggregate.groupType = .groupby
        #expect(incompatibility("ExecutePlan", request) == nil)
        #expect(incompatibility("ReleaseSession", Spark_Connect_ReleaseSessionRequest()) == "ReleaseSession: RPC not in Spark 3.5.6")
        #expect(incompatibility("FetchErrorDetails", Spark_Connect_FetchErrorDetailsRequest()) == "FetchErrorDetails: RPC not in Spark 3.5.6")
        #expect(incompatibility("ReleaseExecute", Spark_Connect_ReleaseExecuteRequest()) == nil)
    }

    @Test("a field whose declared type differs, or that moved out of its oneof, is named")
    func changedType() throws {
        // No field Orchard uses changed type between 3.5 and 4.3, so the server side is edited here.
        let path = ProtoSchema.packageRoot + "/Sources/SparkConnectProtos/Descriptors/spark-connect-3.5.6.pb"
        var set = try Google_Protobuf_FileDescriptorSet(serializedBytes: Data(contentsOf: URL(fileURLWithPath: path)))
        let file = try #require(set.file.firstIndex { $0.name == "spark/connect/relations.proto" })
        let sql = try #require(set.file[file].messageType.firstIndex { $0.name == "SQL" })
        set.file[file].messageType[sql].field[0].type = .int64
        let edited = ProtocolCompatibility(
            client: check.client, server: try ProtoSchema(release: "edited 3.5.6", descriptorSet: set.serializedData()))
        var request = Spark_Connect_ExecutePlanRequest()
        request.plan.root.sql.query = "SELECT 1"
        do {
            try edited.check(rpc: "ExecutePlan", request: request)
            Issue.record("the edited type went unnoticed")
        } catch {
            #expect(error.description == "ExecutePlanRequest.plan.root.sql.query (field 1): Spark 4.3.0 declares `string`, edited 3.5.6 `int64 query`")
        }

        let relation = try #require(set.file[file].messageType.firstIndex { $0.name == "Relation" })
        let field = try #require(set.file[file].messageType[relation].field.firstIndex { $0.name == "sql" })
        set.file[file].messageType[relation].field[field].clearOneofIndex()
        set.file[file].messageType[sql].field[0].type = .string
        let moved = ProtocolCompatibility(
            client: check.client, server: try ProtoSchema(release: "edited 3.5.6", descriptorSet: set.serializedData()))
        do {
            try moved.check(rpc: "ExecutePlan", request: request)
            Issue.record("the field out of its oneof went unnoticed")
        } catch {
            #expect(error.description == "ExecutePlanRequest.plan.root.sql (field 10): oneof rel_type in Spark 4.3.0, none in edited 3.5.6")
        }
    }

    @Test("the descriptor sets are the releases they are named after")
    func descriptorSets() throws {
        #expect(check.server.methods.keys.sorted().map { $0.split(separator: "/").last.map(String.init) ?? "" } == [
            "AddArtifacts", "AnalyzePlan", "ArtifactStatus", "Config", "ExecutePlan", "Interrupt", "ReattachExecute",
            "ReleaseExecute",
        ])
        // Every message the generated Swift code sends exists in the 4.3.0 set under the same name.
        for name in [
            Spark_Connect_ExecutePlanRequest.protoMessageName, Spark_Connect_AddArtifactsRequest.protoMessageName,
            Spark_Connect_Relation.protoMessageName, Spark_Connect_SqlCommand.protoMessageName,
        ] {
            #expect(check.client.messages[name] != nil, "\(name)")
        }
        #expect(check.client.messages["spark.connect.SqlCommand"]?.fields[6]?.name == "input")
        #expect(check.server.messages["spark.connect.SqlCommand"]?.fields[6] == nil)
    }
}
