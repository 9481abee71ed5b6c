import Foundation

extension S3Client {
    /// A URL that lets anyone holding it perform `method` on the object until it expires (1 s to 7 days),
    /// for users who hand downloads to other tools. Signed with the client's current credentials.
    public func presignedURL(
        method: String = "GET", bucket: String, key: String, expiresIn seconds: Int = 3600, date: Date = Date()
    ) async throws -> URL {
        guard (1...604_800).contains(seconds) else {
            throw S3Error.invalidArgument("presigned URLs live 1 to 604,800 seconds, not \(seconds)")
        }
        let credentials = try await self.credentials.credentials()
        let (host, path) = addressing.locate(bucket: bucket, key: key)
        var request = SignableRequest(method: method.uppercased(), path: path, headers: [("host", host)])
        signer.presign(&request, credentials: credentials, date: date, expires: seconds)
        guard let url = URL(string: "\(addressing.scheme)://\(host)\(path)?\(request.encodedQuery)") else {
            throw S3Error.invalidArgument("cannot form a URL for s3://\(bucket)/\(key)")
        }
        return url
    }
}
