using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.State;

/// <summary>An account's free balance and the nonce its next transaction must carry.</summary>
public readonly record struct AccountState(Amount Balance, ulong Nonce)
{
    public byte[] Encode() => new CanonicalWriter(16).WriteAmount(Balance).WriteU64(Nonce).ToArray();

    public static AccountState Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var state = new AccountState(reader.ReadAmount("balance"), reader.ReadU64("nonce"));
        reader.EnsureEnd("account");
        return state;
    }
}
