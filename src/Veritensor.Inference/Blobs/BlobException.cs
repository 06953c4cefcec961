namespace Veritensor.Inference.Blobs;

/// <summary>A blob that cannot be stored or fetched: over the size limit, wrong hash, missing, or a broken transfer.</summary>
public sealed class BlobException : Exception
{
    public BlobException() { }

    public BlobException(string message)
        : base(message) { }

    public BlobException(string message, Exception inner)
        : base(message, inner) { }
}
