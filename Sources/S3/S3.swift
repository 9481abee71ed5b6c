// S3: an Amazon S3 client (SigV4, ListObjectsV2, Get/Put/Head, multipart, DeleteObjects) behind ObjectStore.
