extension S3Client {
    /// Creates `bucket` in the client's region; an existing bucket you own is not an error.
    public func createBucket(_ bucket: String) async throws {
        var request = S3Request("CreateBucket", .PUT, bucket: bucket)
        // us-east-1 is the one region that takes no LocationConstraint.
        if configuration.region != "us-east-1" {
            let xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(XMLText.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>"
            request.setBody(Array(xml.utf8))
        }
        do {
            try await perform(request) { _ = try await $0.body.collect(upTo: Self.maxErrorBodyBytes) }
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }
}
