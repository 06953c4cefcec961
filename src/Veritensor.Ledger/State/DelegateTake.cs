namespace Veritensor.Ledger.State;

/// <summary>The bounds of a hotkey's delegate take, as u16 proportions of 65535 (bittensor.md §6).</summary>
public static class DelegateTake
{
    /// <summary>The largest take, 11796/65535 ≈ 18 %; also the take of a hotkey that never set one.</summary>
    public const ushort Max = 11_796;

    /// <summary>The take a hotkey has until its owner sets one.</summary>
    public const ushort Default = Max;
}
