using System.Globalization;
using Veritensor.Ledger.State;

namespace Veritensor.Cli;

/// <summary>
/// A delegate take given as a decimal percentage ("18", "9.5") converted exactly to the ledger's u16 proportion:
/// floor(percent × 65535 / 100), computed on integers (the digits after the point scale the denominator).
/// </summary>
internal static class TakePercent
{
    private const int MaxDecimals = 9;

    public static ushort Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (
            parts.Length > 2
            || parts[0].Length == 0
            || parts[0].Length > 3
            || !parts[0].All(char.IsAsciiDigit)
            || (parts.Length == 2 && (parts[1].Length is 0 or > MaxDecimals || !parts[1].All(char.IsAsciiDigit)))
        )
            throw new CliException(
                $"{option}: '{text}' is not a percentage such as 18 or 9.5 (at most {MaxDecimals} decimals)."
            );
        var decimals = parts.Length == 2 ? parts[1] : "";
        var numerator = ulong.Parse(parts[0] + decimals, NumberStyles.None, CultureInfo.InvariantCulture);
        var denominator = 100UL;
        for (var i = 0; i < decimals.Length; i++)
            denominator *= 10;
        var take = (UInt128)numerator * ushort.MaxValue / denominator;
        if (take > DelegateTake.Max)
            throw new CliException(
                $"{option}: {text} % is above the maximum take of {DelegateTake.Max}/65535 (about 18 %)."
            );
        return (ushort)take;
    }
}
