using System.Text.RegularExpressions;

namespace Veritensor.Wallet;

/// <summary>
/// Wallet and hotkey names become file and directory names, so they are restricted to
/// <c>[A-Za-z0-9_-]{1,64}</c>: no separators, no dots, nothing that could escape the wallet directory.
/// </summary>
public static partial class WalletName
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws <see cref="WalletException"/> naming <paramref name="what"/> ("wallet", "hotkey") unless the name is valid.</summary>
    public static string Validate(string? name, string what)
    {
        if (!IsValid(name))
            throw new WalletException(
                WalletErrorKind.InvalidInput,
                $"invalid {what} name '{name}': use 1 to {MaxLength} characters from A-Z, a-z, 0-9, '_' and '-'"
            );
        return name!;
    }

    // \z, not $: $ would also match before a trailing newline.
    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
