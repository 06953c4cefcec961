using System.Globalization;

namespace Veritensor.Core;

/// <summary>
/// A token amount in base units (1 token = 10^9 base units). Arithmetic is checked: an overflow or a
/// negative result throws <see cref="OverflowException"/>, never wraps.
/// </summary>
public readonly record struct Amount(ulong BaseUnits) : IComparable<Amount>
{
    public const int Decimals = 9;
    public const ulong BaseUnitsPerToken = 1_000_000_000;

    public static Amount Zero => default;

    public static Amount FromTokens(ulong tokens) => new(checked(tokens * BaseUnitsPerToken));

    public static Amount operator +(Amount left, Amount right) => new(checked(left.BaseUnits + right.BaseUnits));

    public static Amount operator -(Amount left, Amount right) => new(checked(left.BaseUnits - right.BaseUnits));

    public Amount Add(Amount other) => this + other;

    public Amount Subtract(Amount other) => this - other;

    public int CompareTo(Amount other) => BaseUnits.CompareTo(other.BaseUnits);

    public static bool operator <(Amount left, Amount right) => left.BaseUnits < right.BaseUnits;

    public static bool operator >(Amount left, Amount right) => left.BaseUnits > right.BaseUnits;

    public static bool operator <=(Amount left, Amount right) => left.BaseUnits <= right.BaseUnits;

    public static bool operator >=(Amount left, Amount right) => left.BaseUnits >= right.BaseUnits;

    /// <summary>Parses a token amount such as <c>12</c>, <c>0.5</c> or <c>1.000000001</c> (at most 9 decimals).</summary>
    public static Amount ParseTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseTokens(text, out var amount, out var error))
            throw new FormatException(error);
        return amount;
    }

    public static bool TryParseTokens(string text, out Amount amount, out string error)
    {
        amount = Zero;
        error = string.Empty;
        var trimmed = text?.Trim() ?? string.Empty;
        var parts = trimmed.Split('.');
        if (trimmed.Length == 0 || parts.Length > 2 || parts[0].Length == 0 || !parts.All(IsDigits))
        {
            error =
                $"'{text}' is not an amount: use digits with an optional '.' and up to {Decimals} decimals, e.g. 12.5.";
            return false;
        }
        var fraction = parts.Length == 2 ? parts[1] : string.Empty;
        if (fraction.Length > Decimals)
        {
            error = $"'{text}' has more than {Decimals} decimals; the smallest unit is 0.000000001.";
            return false;
        }
        if (!ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            error = $"'{text}' is too large.";
            return false;
        }
        var fractionUnits =
            fraction.Length == 0
                ? 0
                : ulong.Parse(fraction.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        try
        {
            amount = new Amount(checked(whole * BaseUnitsPerToken + fractionUnits));
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large: the most an amount can hold is {new Amount(ulong.MaxValue)}.";
            return false;
        }
    }

    private static bool IsDigits(string s) => s.Length == 0 || s.All(char.IsAsciiDigit);

    /// <summary>Tokens with all 9 decimals, e.g. <c>1.500000000</c>: exact, no rounding.</summary>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{BaseUnits / BaseUnitsPerToken}.{BaseUnits % BaseUnitsPerToken:D9}"
        );
}
