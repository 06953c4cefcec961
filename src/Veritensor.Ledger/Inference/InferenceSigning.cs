using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The one shape of every inference signing message: a domain string that names the record type, then the chain id
/// (so a record signed for one chain is worthless on another), then the record's fields without its signature.
/// </summary>
internal static class InferenceSigning
{
    public const int MaxChainIdBytes = 64;

    public static CanonicalWriter Begin(ReadOnlySpan<byte> domain, string chainId)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        return new CanonicalWriter(256).WriteFixed(domain).WriteString(chainId);
    }
}
