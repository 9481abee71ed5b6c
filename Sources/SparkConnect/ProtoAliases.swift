// Short internal names for the generated Spark Connect messages (target SparkConnectProtos), so
// hand-written code reads like the protocol and no `Spark_Connect_*` type leaks into public API.
import SparkConnectProtos

typealias SparkConnectService = Spark_Connect_SparkConnectService
typealias UserContext = Spark_Connect_UserContext
typealias Plan = Spark_Connect_Plan
typealias Relation = Spark_Connect_Relation
typealias Command = Spark_Connect_Command
typealias Expression = Spark_Connect_Expression
typealias DataType = Spark_Connect_DataType
typealias ExecutePlanRequest = Spark_Connect_ExecutePlanRequest
typealias ExecutePlanResponse = Spark_Connect_ExecutePlanResponse
typealias ReattachExecuteRequest = Spark_Connect_ReattachExecuteRequest
typealias ReleaseExecuteRequest = Spark_Connect_ReleaseExecuteRequest
typealias ReleaseSessionRequest = Spark_Connect_ReleaseSessionRequest
typealias AnalyzePlanRequest = Spark_Connect_AnalyzePlanRequest
typealias AnalyzePlanResponse = Spark_Connect_AnalyzePlanResponse
typealias ConfigRequest = Spark_Connect_ConfigRequest
typealias AddArtifactsRequest = Spark_Connect_AddArtifactsRequest
typealias AddArtifactsResponse = Spark_Connect_AddArtifactsResponse
typealias FetchErrorDetailsRequest = Spark_Connect_FetchErrorDetailsRequest
typealias FetchErrorDetailsResponse = Spark_Connect_FetchErrorDetailsResponse
typealias KeyValue = Spark_Connect_KeyValue
