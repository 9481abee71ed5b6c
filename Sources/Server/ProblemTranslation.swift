import HTTPTypes
import Hummingbird
import Imaging
import OpenAPIRuntime
import Recognition

/// Turns whatever a handler or the generated layer threw into the problem the client gets — the one
/// place foreign errors become HTTP statuses.
enum ProblemTranslation {
    /// The problem for `error`, and whether it is the server's own fault (to be logged as such).
    static func problem(for error: any Error, retryAfter: Int) -> (problem: Problem, serverFault: Bool) {
        switch error {
        case let problem as Problem:
            return (problem, problem.status.code >= 500 && problem.status != .serviceUnavailable)
        case let error as ServerError:
            // The generated layer wraps handler errors; its own (parsing, content type) carry a status.
            if error.underlyingError is Problem || error.underlyingError is ImageError || error.underlyingError is RecognitionError
                || error.underlyingError is ClientDeparture.Gone {
                return problem(for: error.underlyingError, retryAfter: retryAfter)
            }
            let fault = error.httpStatus.code >= 500
            return (fromStatus(error.httpStatus, detail: fault ? nil : clientDetail(error)), fault)
        case let error as ImageError:
            switch error {
            case .notAnImage, .empty: return (.unsupportedMediaType(error.description), false)
            case .tooManyBytes(_, _, let limit): return (.tooLarge(limit: limit), false)
            case .truncated, .corrupt, .tooManyPixels, .unsupported: return (.undecodable(error.description), false)
            }
        case is ClientDeparture.Gone:
            // Nobody reads this answer; the status is for the log and the metrics (nginx's 499).
            return (Problem(.init(code: 499, reasonPhrase: "Client Closed Request"), kind: "client-gone", title: "Client closed the request"), false)
        case RecognitionError.busy:
            return (.busy(String(describing: error), retryAfter: retryAfter), false)
        case let error as any HTTPResponseError:
            return (fromStatus(error.status, detail: nil), error.status.code >= 500)
        default:
            return (Problem(.internalServerError, kind: "internal", title: "Internal server error"), true)
        }
    }

    /// What the generated layer's refusal means for the client, in the API's words: its own text names
    /// Swift types (`DecodingError: typeMismatch Int`) or only the first accepted content type.
    private static func clientDetail(_ error: ServerError) -> String? {
        switch error.httpStatus {
        case .unsupportedMediaType:
            let given = error.request.headerFields[.contentType].map { "; got \($0)" } ?? "; no Content-Type given"
            return "send image/jpeg, image/png or multipart/form-data with a photo field" + given
        case .badRequest where error.underlyingError is DecodingError && error.operationID == "classify":
            // The query is the only part of a classify request decoded into types (the body is bytes).
            return "top must be a whole number between 1 and 1000"
        default:
            return error.causeDescription
        }
    }

    /// A problem for a status the HTTP or OpenAPI layer chose.
    private static func fromStatus(_ status: HTTPResponse.Status, detail: String?) -> Problem {
        switch status {
        case .unsupportedMediaType:
            return .unsupportedMediaType(detail ?? "send image/jpeg, image/png or multipart/form-data with a photo field")
        case .contentTooLarge:
            return Problem(status, kind: "too-large", title: "Request body too large", detail: detail)
        case .notFound:
            return Problem(status, kind: "not-found", title: "No such route", detail: detail)
        case .methodNotAllowed:
            return Problem(status, kind: "method-not-allowed", title: "Method not allowed", detail: detail)
        case .badRequest:
            return .badRequest(detail ?? "the request could not be read")
        default:
            return Problem(status, kind: status.code >= 500 ? "internal" : "client-error", title: status.reasonPhrase, detail: detail)
        }
    }
}
