using CsCheck;
using Veritensor.Core.Crypto;
using Mnemonic = NBitcoin.Mnemonic;
using Wordlist = NBitcoin.Wordlist;

namespace Veritensor.Wallet.Tests;

[UnitTest]
public sealed class MnemonicTests
{
    private const string ZeroEntropyMnemonic =
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    // BIP-39 seed of ZeroEntropyMnemonic with passphrase "" (PBKDF2-HMAC-SHA512, checked independently with Python's hashlib).
    private const string ZeroEntropySeedEmptyPassphrase =
        "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4";

    // The published BIP-39 test vector (Trezor's vectors use the passphrase "TREZOR").
    private const string ZeroEntropySeedTrezorPassphrase =
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04";

    // Address of the Ed25519 key with seed ZeroEntropySeedEmptyPassphrase[..32], computed independently with Python's
    // `cryptography` package and the address rules of Veritensor.Core.Crypto.Address.
    private const string ZeroEntropyAddress = "2S9EXAnzY1aNZdCdv5GtWjNwFzrWLXaWhRMbuv2YN6RxGdyxUAx";

    [Fact]
    public void Zero_entropy_gives_the_BIP39_reference_mnemonic_and_seeds()
    {
        var mnemonic = new Mnemonic(Wordlist.English, new byte[16]);
        Assert.Equal(ZeroEntropyMnemonic, mnemonic.ToString());
        Assert.Equal(ZeroEntropySeedTrezorPassphrase, Convert.ToHexStringLower(mnemonic.DeriveSeed("TREZOR")));
        Assert.Equal(ZeroEntropySeedEmptyPassphrase, Convert.ToHexStringLower(mnemonic.DeriveSeed()));
    }

    [Fact]
    public void The_Ed25519_seed_is_the_first_32_bytes_of_the_BIP39_seed_with_an_empty_passphrase() =>
        Assert.Equal(
            ZeroEntropySeedEmptyPassphrase[..64],
            Convert.ToHexStringLower(WalletMnemonic.ToSeed(ZeroEntropyMnemonic))
        );

    [Fact]
    public void The_reference_mnemonic_gives_a_fixed_address()
    {
        using var key = KeyPair.FromSeed(WalletMnemonic.ToSeed(ZeroEntropyMnemonic));
        Assert.Equal(ZeroEntropyAddress, key.Address.ToString());
    }

    [Fact]
    public void Mnemonic_and_its_hex_seed_restore_the_same_address_for_any_entropy() =>
        Gen.OneOf(Gen.Byte.Array[16], Gen.Byte.Array[32])
            .Sample(
                entropy =>
                {
                    var phrase = new Mnemonic(Wordlist.English, entropy).ToString();
                    var seed = WalletMnemonic.ToSeed(phrase);
                    using var fromMnemonic = KeyPair.FromSeed(WalletMnemonic.SeedFromMnemonicOrHex(phrase));
                    using var fromHex = KeyPair.FromSeed(
                        WalletMnemonic.SeedFromMnemonicOrHex("0x" + Convert.ToHexStringLower(seed))
                    );
                    using var again = KeyPair.FromSeed(WalletMnemonic.ToSeed(phrase));
                    Assert.Equal(fromMnemonic.Address, fromHex.Address);
                    Assert.Equal(fromMnemonic.Address, again.Address);
                },
                iter: 40
            );

    [Theory]
    [InlineData(12)]
    [InlineData(24)]
    public void Generated_mnemonics_have_the_requested_length_and_a_valid_checksum(int words)
    {
        var phrase = WalletMnemonic.Generate(words);
        Assert.Equal(words, phrase.Split(' ').Length);
        Assert.Equal(phrase, WalletMnemonic.Normalize(phrase));
        Assert.True(new Mnemonic(phrase, Wordlist.English).IsValidChecksum);
    }

    [Fact]
    public void Generated_mnemonics_have_12_words_by_default_and_differ_each_time()
    {
        var first = WalletMnemonic.Generate();
        var second = WalletMnemonic.Generate();
        Assert.Equal(12, first.Split(' ').Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(15)]
    [InlineData(18)]
    [InlineData(25)]
    public void Generating_other_word_counts_is_refused(int words)
    {
        var e = Assert.Throws<WalletException>(() => WalletMnemonic.Generate(words));
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
        Assert.Contains($"12 or 24 words, not {words}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restoring_ignores_case_and_extra_whitespace()
    {
        var messy =
            "  ABANDON abandon\tabandon abandon abandon abandon abandon abandon abandon abandon abandon   About \n";
        Assert.Equal(ZeroEntropyMnemonic, WalletMnemonic.Normalize(messy));
        Assert.Equal(WalletMnemonic.ToSeed(ZeroEntropyMnemonic), WalletMnemonic.ToSeed(messy));
    }

    [Fact]
    public void A_word_outside_the_word_list_is_named_in_the_error()
    {
        var e = Assert.Throws<WalletException>(() =>
            WalletMnemonic.ToSeed(ZeroEntropyMnemonic.Replace("about", "abuot", StringComparison.Ordinal))
        );
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
        Assert.Equal("invalid mnemonic: word 12 'abuot' is not in the BIP-39 English word list", e.Message);
    }

    [Fact]
    public void A_bad_checksum_is_reported_as_such()
    {
        // Twelve valid words whose last word does not carry the right checksum.
        var e = Assert.Throws<WalletException>(() =>
            WalletMnemonic.ToSeed(string.Join(' ', Enumerable.Repeat("abandon", 12)))
        );
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
        Assert.Contains("checksum does not match", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(25)]
    public void A_wrong_word_count_is_reported_with_the_count(int count)
    {
        var e = Assert.Throws<WalletException>(() =>
            WalletMnemonic.ToSeed(string.Join(' ', Enumerable.Repeat("zoo", count)))
        );
        Assert.Equal($"invalid mnemonic: it has {count} words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24", e.Message);
    }

    [Theory]
    [InlineData("5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1")]
    [InlineData("0x5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1")]
    [InlineData("0X5EB00BBDDCF069084889A8AB9155568165F5C453CCB85E70811AAED6F6DA5FC1")]
    [InlineData("  0x5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1\n")]
    public void Hex_seeds_parse_with_or_without_0x_prefix(string text) =>
        Assert.Equal(ZeroEntropySeedEmptyPassphrase[..64], Convert.ToHexStringLower(WalletMnemonic.ParseHexSeed(text)));

    [Theory]
    [InlineData("0x")]
    [InlineData("5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5f")]
    [InlineData("5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc100")]
    [InlineData("0x5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fzz")]
    public void Malformed_hex_seeds_are_refused(string text)
    {
        var e = Assert.Throws<WalletException>(() => WalletMnemonic.SeedFromMnemonicOrHex(text));
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
        Assert.StartsWith("invalid seed: expected 64 hex digits", e.Message, StringComparison.Ordinal);
    }
}
