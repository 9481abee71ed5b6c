// S3: an Amazon S3 client (SigV4, ListObjectsV2, Get/Put/Head, multipart, DeleteObjects) behind ObjectStore.
//
// Layers, as folders: Signing (SigV4, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html),
// Credentials (the SDKs' default chain), Configuration (region, endpoint, retries), HTTP (requests, addressing,
// the concurrency limiter), XML (response parsing), Client (`S3Client`, one extension per group of
// operations, API reference https://docs.aws.amazon.com/AmazonS3/latest/API/), Upload (file parts), and
// `S3Store`, the `ObjectStore` the pipeline sees.
