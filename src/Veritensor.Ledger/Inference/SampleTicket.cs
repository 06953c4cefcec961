using System.Buffers.Binary;
using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// Decides whether a sampled request is re-executed. The first selected verifier signs <see cref="Message"/>; the
/// request is drawn when the hash of that signature falls below the sampling rate. Ed25519 signatures are
/// deterministic, so the verifier cannot re-roll, and the executor cannot predict the draw without the verifier's key;
/// the ledger checks the signature and recomputes the draw.
/// </summary>
public static class SampleTicket
{
    public const uint PartsPerMillion = 1_000_000;
    private static readonly byte[] Domain = "veritensor/sample-ticket/v1"u8.ToArray();

    public static byte[] Message(string chainId, Hash256 requestId) =>
        InferenceSigning.Begin(Domain, chainId).WriteHash(requestId).ToArray();

    public static Signature Create(string chainId, Hash256 requestId, KeyPair verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.Sign(Message(chainId, requestId));
    }

    public static bool Verify(string chainId, Hash256 requestId, Signature ticket, Address verifier) =>
        verifier.Verify(Message(chainId, requestId), ticket);

    /// <summary>True when the first 8 bytes (little-endian) of SHA-256(ticket) are below <paramref name="samplingRatePpm"/> × ⌊2^64 / 10^6⌋.</summary>
    public static bool IsDrawn(Signature ticket, uint samplingRatePpm)
    {
        var draw = BinaryPrimitives.ReadUInt64LittleEndian(Hash256.Compute(ticket.Span).Span);
        var threshold = (UInt128)samplingRatePpm * ((UInt128.One << 64) / PartsPerMillion);
        return draw < threshold;
    }
}
