using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.State;

/// <summary>An account's free balance and the nonce its next transaction must carry.</summary>
public readonly record struct AccountState(Amount Balance, ulong Nonce)
{
    /// <summary>u64 balance then u64 nonce, little-endian: what <see cref="CanonicalWriter"/> would write, without its buffers (this runs for every transaction).</summary>
    public byte[] Encode()
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, Balance.BaseUnits);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), Nonce);
        return bytes;
    }

    public static AccountState Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var state = new AccountState(reader.ReadAmount("balance"), reader.ReadU64("nonce"));
        reader.EnsureEnd("account");
        return state;
    }
}
