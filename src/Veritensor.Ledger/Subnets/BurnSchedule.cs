using Veritensor.Core;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// The registration burn and how it follows demand (yuma.md §4 "Registration burn"): it starts at 1 token,
/// halves every <see cref="HalfLifeBlocks"/> blocks without registrations and rises ×1.26 per registration,
/// clamped to [<see cref="Min"/>, <see cref="Max"/>]. Integer arithmetic only: the decay applies whole
/// half-lives (floor of a right shift) and the rise is ×126/100 rounded down, so every node computes the same burn.
/// </summary>
internal static class BurnSchedule
{
    public const ulong HalfLifeBlocks = 360;
    public static readonly Amount Initial = Amount.FromTokens(1);
    public static readonly Amount Min = new(500_000);
    public static readonly Amount Max = Amount.FromTokens(100);

    /// <summary>The burn at <paramref name="height"/> for a subnet whose burn was <paramref name="burn"/> at <paramref name="updatedAt"/>.</summary>
    public static (Amount Burn, ulong UpdatedAt) At(Amount burn, ulong updatedAt, ulong height)
    {
        if (height <= updatedAt)
            return (burn, updatedAt);
        var halvings = (height - updatedAt) / HalfLifeBlocks;
        if (halvings == 0)
            return (burn, updatedAt);
        var decayed = halvings >= 64 ? 0 : burn.BaseUnits >> (int)halvings;
        // The anchor moves by whole half-lives so that the remainder keeps counting toward the next halving.
        return (Clamp(decayed), updatedAt + halvings * HalfLifeBlocks);
    }

    /// <summary>The burn after one more registration.</summary>
    public static Amount AfterRegistration(Amount burn) => Clamp((ulong)(((UInt128)burn.BaseUnits * 126) / 100));

    private static Amount Clamp(ulong baseUnits) => new(Math.Clamp(baseUnits, Min.BaseUnits, Max.BaseUnits));
}
