using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>
/// The commit-reveal hash (yuma.md §10, v2 style, SHA-256 instead of BlakeTwo256): SHA-256 of a domain tag and the
/// canonical encoding of (hotkey, netuid, uids, values, salt, version key). The salt (32 random bytes) keeps the
/// weights from being guessed from the hash.
/// </summary>
public static class WeightsCommitment
{
    public const int SaltSize = 32;
    private static readonly byte[] Domain = "veritensor/weights-commit/v1"u8.ToArray();

    public static Hash256 Compute(
        Address hotkey,
        ushort netuid,
        IReadOnlyList<ushort> uids,
        IReadOnlyList<ushort> values,
        ReadOnlySpan<byte> salt,
        ulong versionKey
    )
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(values);
        if (salt.Length != SaltSize)
            throw new ArgumentException($"The salt must be {SaltSize} bytes.", nameof(salt));
        var writer = new CanonicalWriter().WriteFixed(Domain).WriteAddress(hotkey).WriteU16(netuid);
        U16List.Write(writer, uids);
        U16List.Write(writer, values);
        return Hash256.Compute(writer.WriteFixed(salt).WriteU64(versionKey).ToArray());
    }
}
