import Foundation
import GRPCCore
import SparkConnectProtos

// ExecutePlan as Spark 3.5 answers it: a SqlCommand comes back as a SqlCommandResult holding an SQL
// relation, a root relation as Arrow batches, everything ends with ResultComplete (reattachable
// execution, 3.5's default), and the responses are kept for ReattachExecute until ReleaseExecute.
extension FakeSparkConnectService {
    func executePlan(_ requests: [Spark_Connect_ExecutePlanRequest]) throws -> [Spark_Connect_ExecutePlanResponse] {
        let request = try single(requests)
        var responses: [Spark_Connect_ExecutePlanResponse] = []
        func respond(_ fill: (inout Spark_Connect_ExecutePlanResponse) -> Void) {
            var response = Spark_Connect_ExecutePlanResponse()
            response.sessionID = request.sessionID
            response.operationID = request.operationID
            response.responseID = UUID().uuidString.lowercased()
            fill(&response)
            responses.append(response)
        }
        switch request.plan.opType {
        case .command(let command)?:
            switch command.commandType {
            case .sqlCommand(let sql)?:
                // 3.5 has only `sql`; `input` (Spark 4) reaches here only when the fake speaks 4.x.
                let query = sql.hasInput ? sql.input.sql.query : sql.sql
                state.withLock { $0.queries.append(query) }
                respond { $0.sqlCommandResult.relation.sql.query = query }
            case .createDataframeView?, .writeOperation?:
                break
            default:
                throw RPCError(code: .internalError, message: "the fake server runs no \(String(describing: command.commandType))")
            }
        case .root(let relation)?:
            let query = Self.describe(relation)
            guard let rows = answer(query) else {
                throw RPCError(code: .internalError, message: "the fake server has no rows for \(query)")
            }
            respond {
                $0.arrowBatch.rowCount = Int64(rows.rows)
                $0.arrowBatch.data = Data(rows.arrow)
            }
        default:
            throw RPCError(code: .internalError, message: "the fake server runs no plan \(String(describing: request.plan.opType))")
        }
        respond { $0.resultComplete = Spark_Connect_ExecutePlanResponse.ResultComplete() }
        state.withLock { $0.operations[request.operationID] = responses }
        return responses
    }

    func reattachExecute(_ requests: [Spark_Connect_ReattachExecuteRequest]) throws -> [Spark_Connect_ExecutePlanResponse] {
        let request = try single(requests)
        guard let responses = state.withLock({ $0.operations[request.operationID] }) else {
            throw RPCError(code: .internalError, message: "[INVALID_HANDLE.OPERATION_NOT_FOUND] \(request.operationID)")
        }
        guard request.hasLastResponseID else { return responses }
        guard let last = responses.firstIndex(where: { $0.responseID == request.lastResponseID }) else {
            throw RPCError(code: .internalError, message: "[INVALID_CURSOR.POSITION_NOT_FOUND] \(request.lastResponseID)")
        }
        return Array(responses[(last + 1)...])
    }

    /// A root relation as SQL-like text for the script: `SELECT count(1) FROM (SELECT …)`.
    static func describe(_ relation: Spark_Connect_Relation) -> String {
        switch relation.relType {
        case .sql(let sql)?: sql.query
        case .aggregate(let aggregate)?:
            "SELECT \(aggregate.aggregateExpressions.map(\.expressionString.expression).joined(separator: ", ")) FROM (\(describe(aggregate.input)))"
        case .limit(let limit)?: "\(describe(limit.input)) LIMIT \(limit.limit)"
        case .repartition(let repartition)?: "\(describe(repartition.input)) REPARTITION \(repartition.numPartitions)"
        case .read(let read)?:
            read.namedTable.unparsedIdentifier.isEmpty
                ? "READ \(read.dataSource.format) \(read.dataSource.paths.joined(separator: ","))"
                : "TABLE \(read.namedTable.unparsedIdentifier)"
        default: "\(String(describing: relation.relType))"
        }
    }
}
