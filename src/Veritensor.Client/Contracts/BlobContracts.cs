namespace Veritensor.Client;

/// <summary>POST /v1/blobs answer: the content id (SHA-256, hex) and size of the stored blob.</summary>
public sealed record BlobUploadResponse(string Id, long Size);
