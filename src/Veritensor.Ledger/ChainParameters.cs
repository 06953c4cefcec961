using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger;

/// <summary>Consensus parameters fixed by genesis and stored in the state (so they are covered by the state root).</summary>
public sealed record ChainParameters
{
    /// <summary>The least fee a transaction may pay. Default 0.0001 token.</summary>
    public Amount MinFee { get; init; } = new(100_000);

    /// <summary>The largest encoded transaction accepted, in bytes. Default 4 KiB.</summary>
    public int MaxTransactionBytes { get; init; } = 4096;

    /// <summary>The most transactions one block may carry. Default 10,000.</summary>
    public int MaxBlockTransactions { get; init; } = 10_000;

    /// <summary>
    /// Burned from the sender per byte of the encoded transaction, besides the fee: block space is priced by size, so
    /// one minimum fee cannot carry 4 KiB of records. Default 0 (a genesis sets it; the devnet does).
    /// </summary>
    public Amount ByteFee { get; init; } = Amount.Zero;

    /// <summary>
    /// Burned from the sender per byte of state the transaction adds for good (new keys and longer values, less what it
    /// deletes): every node keeps the state in memory for ever, so growth is paid for by whoever causes it. Default 0.
    /// </summary>
    public Amount StateByteFee { get; init; } = Amount.Zero;

    /// <summary>What a transaction of <paramref name="size"/> bytes that adds <paramref name="stateBytes"/> bytes of state burns.</summary>
    public bool TryResourceCharge(int size, long stateBytes, out Amount charge)
    {
        var total =
            (UInt128)ByteFee.BaseUnits * (ulong)size + (UInt128)StateByteFee.BaseUnits * (ulong)Math.Max(0, stateBytes);
        charge = total > ulong.MaxValue ? Amount.Zero : new Amount((ulong)total);
        return total <= ulong.MaxValue;
    }

    public byte[] Encode() =>
        new CanonicalWriter(48)
            .WriteAmount(MinFee)
            .WriteU32((uint)MaxTransactionBytes)
            .WriteU32((uint)MaxBlockTransactions)
            .WriteAmount(ByteFee)
            .WriteAmount(StateByteFee)
            .ToArray();

    public static ChainParameters Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var parameters = new ChainParameters
        {
            MinFee = reader.ReadAmount("minFee"),
            MaxTransactionBytes = checked((int)reader.ReadU32("maxTransactionBytes")),
            MaxBlockTransactions = checked((int)reader.ReadU32("maxBlockTransactions")),
            ByteFee = reader.ReadAmount("byteFee"),
            StateByteFee = reader.ReadAmount("stateByteFee"),
        };
        reader.EnsureEnd("chain parameters");
        return parameters;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter out of range.</summary>
    public void Validate()
    {
        if (MaxTransactionBytes is < 256 or > 1 << 20)
            throw new ArgumentException(
                $"maxTransactionBytes must be between 256 and 1048576, got {MaxTransactionBytes}."
            );
        if (MaxBlockTransactions is < 1 or > 100_000)
            throw new ArgumentException(
                $"maxBlockTransactions must be between 1 and 100000, got {MaxBlockTransactions}."
            );
    }
}
