using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// An account's signed intent to store one blob (a model file) on a ledger node: its content id and size, signed by
/// the uploader before any byte is sent, so a node checks who asks (a funded account within its quota) before it reads
/// the body. Sent as the <c>X-Veritensor-Uploader</c> and <c>X-Veritensor-Signature</c> headers of POST /v1/blobs.
/// </summary>
public static class BlobUploadIntent
{
    public const string UploaderHeader = "X-Veritensor-Uploader";
    public const string SignatureHeader = "X-Veritensor-Signature";
    public const string ContentIdHeader = "X-Veritensor-Content-Id";
    private static readonly byte[] Domain = "veritensor/blob-upload/v1"u8.ToArray();

    public static byte[] Message(string chainId, Hash256 contentId, long size) =>
        InferenceSigning.Begin(Domain, chainId).WriteHash(contentId).WriteU64(checked((ulong)size)).ToArray();

    public static Signature Sign(string chainId, Hash256 contentId, long size, KeyPair uploader)
    {
        ArgumentNullException.ThrowIfNull(uploader);
        return uploader.Sign(Message(chainId, contentId, size));
    }

    public static bool Verify(string chainId, Hash256 contentId, long size, Address uploader, Signature signature) =>
        uploader.Verify(Message(chainId, contentId, size), signature);
}
