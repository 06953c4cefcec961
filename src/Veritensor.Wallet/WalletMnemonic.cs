using System.Globalization;
using System.Security.Cryptography;
using NBitcoin;

namespace Veritensor.Wallet;

/// <summary>
/// BIP-39 English mnemonics (via NBitcoin's <see cref="Mnemonic"/> and <see cref="Wordlist.English"/>) and how a
/// mnemonic or a hex seed becomes the 32-byte Ed25519 seed of a key.
/// </summary>
public static class WalletMnemonic
{
    public const int DefaultWordCount = 12;

    /// <summary>Word counts of new mnemonics: 12 (128-bit entropy) or 24 (256-bit entropy).</summary>
    public static IReadOnlyList<int> GeneratedWordCounts { get; } = [12, 24];

    /// <summary>Word counts accepted on restore: every standard BIP-39 length.</summary>
    public static IReadOnlyList<int> RestorableWordCounts { get; } = [12, 15, 18, 21, 24];

    /// <summary>A new random mnemonic of 12 or 24 words, from the operating system's cryptographic RNG.</summary>
    public static string Generate(int words = DefaultWordCount)
    {
        if (!GeneratedWordCounts.Contains(words))
            throw new WalletException(WalletErrorKind.InvalidInput, $"a new mnemonic has 12 or 24 words, not {words}");
        var entropy = RandomNumberGenerator.GetBytes(words / 3 * 4);
        try
        {
            return new Mnemonic(Wordlist.English, entropy).ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entropy);
        }
    }

    /// <summary>
    /// Checks a mnemonic and returns it in canonical form (lower case, single spaces). Throws
    /// <see cref="WalletException"/> naming the problem: a wrong word count, a word outside the BIP-39 English
    /// list, or a bad checksum (typically one mistyped or swapped word).
    /// </summary>
    public static string Normalize(string mnemonic)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        var words = mnemonic.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!RestorableWordCounts.Contains(words.Length))
            throw new WalletException(
                WalletErrorKind.InvalidInput,
                $"invalid mnemonic: it has {words.Length} words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24"
            );
        for (var i = 0; i < words.Length; i++)
        {
            if (!Wordlist.English.WordExists(words[i], out _))
                throw new WalletException(
                    WalletErrorKind.InvalidInput,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"invalid mnemonic: word {i + 1} '{words[i]}' is not in the BIP-39 English word list"
                    )
                );
        }
        var canonical = string.Join(' ', words);
        if (!new Mnemonic(canonical, Wordlist.English).IsValidChecksum)
            throw new WalletException(
                WalletErrorKind.InvalidInput,
                "invalid mnemonic: the checksum does not match (a word is mistyped or out of order)"
            );
        return canonical;
    }

    /// <summary>
    /// The Ed25519 seed of a mnemonic: the first 32 bytes of the standard BIP-39 seed, i.e.
    /// PBKDF2-HMAC-SHA512(password = the normalized mnemonic, salt = "mnemonic" + passphrase, 2048 iterations, 64 bytes)
    /// with the empty passphrase (NBitcoin's <c>Mnemonic.DeriveSeed()</c>). No BIP-32/SLIP-10 path is applied, so the
    /// same mnemonic always gives the same single key. The caller owns the array and should zero it after use.
    /// </summary>
    public static byte[] ToSeed(string mnemonic)
    {
        var canonical = Normalize(mnemonic);
        var full = new Mnemonic(canonical, Wordlist.English).DeriveSeed();
        try
        {
            return full[..32];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(full);
        }
    }

    /// <summary>True when the text is meant as a hex seed (a <c>0x</c> prefix, or hex digits only) rather than a mnemonic.</summary>
    public static bool LooksLikeHexSeed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || (trimmed.Length > 0 && trimmed.All(Uri.IsHexDigit));
    }

    /// <summary>Parses a 32-byte seed written as 64 hex digits, with or without a <c>0x</c> prefix.</summary>
    public static byte[] ParseHexSeed(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = StripHexPrefix(hex.Trim());
        if (digits.Length != 64 || !digits.All(Uri.IsHexDigit))
            throw new WalletException(
                WalletErrorKind.InvalidInput,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"invalid seed: expected 64 hex digits (32 bytes, optional 0x prefix), got {digits.Length} characters{(digits.All(Uri.IsHexDigit) ? "" : " including non-hex ones")}"
                )
            );
        return Convert.FromHexString(digits);
    }

    /// <summary>The Ed25519 seed from either a hex seed (see <see cref="ParseHexSeed"/>) or a mnemonic (see <see cref="ToSeed"/>).</summary>
    public static byte[] SeedFromMnemonicOrHex(string mnemonicOrSeed)
    {
        ArgumentNullException.ThrowIfNull(mnemonicOrSeed);
        return LooksLikeHexSeed(mnemonicOrSeed) ? ParseHexSeed(mnemonicOrSeed) : ToSeed(mnemonicOrSeed);
    }

    private static string StripHexPrefix(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
}
