using Veritensor.Core;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// How many new tokens a block accrues to the subnets, fixed by genesis (section <c>emission</c>): the initial block
/// emission, halved every <see cref="HalvingInterval"/> blocks (0 = never), and clipped so that total issuance plus
/// the emission still pending in subnets never exceeds <see cref="MaxIssuance"/>. Integers only, so every node
/// computes the same amount.
/// </summary>
/// <param name="InitialBlockEmission">Emission per block before the first halving.</param>
/// <param name="HalvingInterval">Blocks between halvings; emission(h) = initial &gt;&gt; (h / interval). 0 turns halving off.</param>
/// <param name="MaxIssuance">The cap on total issuance plus pending emission.</param>
public sealed record EmissionSchedule(Amount InitialBlockEmission, ulong HalvingInterval, Amount MaxIssuance)
{
    /// <summary>1 token per block, no halving, capped at 21,000,000 tokens (Bitcoin's and subtensor's TAO supply).</summary>
    public static EmissionSchedule Default { get; } = new(Amount.FromTokens(1), 0, Amount.FromTokens(21_000_000));

    /// <summary>The schedule's emission at <paramref name="height"/>, before the cap.</summary>
    public Amount ScheduledAt(ulong height)
    {
        if (HalvingInterval == 0)
            return InitialBlockEmission;
        var halvings = height / HalvingInterval;
        // C# masks a ulong shift count to 6 bits, so 64 or more halvings must be spelled out: nothing is left.
        return halvings >= 64 ? Amount.Zero : new Amount(InitialBlockEmission.BaseUnits >> (int)halvings);
    }

    /// <summary>
    /// What block <paramref name="height"/> accrues when <paramref name="issuedAndPending"/> tokens are already in
    /// issuance or pending: the scheduled amount, clipped to the room left under the cap (zero once it is reached).
    /// </summary>
    public Amount At(ulong height, Amount issuedAndPending)
    {
        var room = MaxIssuance > issuedAndPending ? MaxIssuance - issuedAndPending : Amount.Zero;
        var scheduled = ScheduledAt(height);
        return scheduled < room ? scheduled : room;
    }

    public void Write(CanonicalWriter writer) =>
        writer.WriteAmount(InitialBlockEmission).WriteU64(HalvingInterval).WriteAmount(MaxIssuance);

    public static EmissionSchedule Read(ref CanonicalReader reader) =>
        new(
            reader.ReadAmount("initialBlockEmission"),
            reader.ReadU64("halvingInterval"),
            reader.ReadAmount("maxIssuance")
        );
}
