using System.Security.Cryptography;
using CsCheck;
using SimpleBase;
using Veritensor.Core.Crypto;

namespace Veritensor.Core.Tests;

[UnitTest]
public sealed class AddressTests
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly Gen<Address> GenAddress = Gen.Byte.Array[Address.Size].Select(bytes => new Address(bytes));

    /// <summary>The address text built from the documented layout, independently of <see cref="Address.ToString"/>.</summary>
    private static string Encode(byte version, ReadOnlySpan<byte> key, byte[]? checksumOverride = null)
    {
        var preimage = "veritensor-address"u8.ToArray().Append(version).Concat(key.ToArray()).ToArray();
        var checksum = checksumOverride ?? SHA256.HashData(SHA256.HashData(preimage))[..4];
        return Base58.Bitcoin.Encode([version, .. key, .. checksum]);
    }

    [Fact]
    public void Text_form_round_trips_for_random_keys() =>
        GenAddress.Sample(address =>
        {
            var text = address.ToString();
            Assert.Equal(address, Address.Parse(text));
            Assert.True(Address.TryParse(text, out var parsed, out var error));
            Assert.Equal(address, parsed);
            Assert.Equal("", error);
        });

    [Fact]
    public void Text_form_follows_the_documented_version_key_checksum_layout() =>
        GenAddress.Sample(address => Assert.Equal(Encode(Address.Version, address.PublicKey), address.ToString()));

    [Fact]
    public void Surrounding_whitespace_is_ignored()
    {
        using var key = KeyPair.FromDevelopmentName("alice");
        Assert.Equal(key.Address, Address.Parse($"  {key.Address}\n"));
    }

    [Fact]
    public void Any_one_character_typo_is_rejected() =>
        GenAddress
            .SelectMany(address =>
                Gen.Int[0, address.ToString().Length - 1]
                    .SelectMany(position =>
                        Gen.Char[Base58Alphabet]
                            .Where(c => c != address.ToString()[position])
                            .Select(replacement => (address, position, replacement))
                    )
            )
            .Sample(
                (address, position, replacement) =>
                {
                    var original = address.ToString();
                    var typo = string.Concat(
                        original.AsSpan(0, position),
                        replacement.ToString(),
                        original.AsSpan(position + 1)
                    );
                    Assert.False(Address.TryParse(typo, out _, out var error));
                    Assert.Contains(typo, error, StringComparison.Ordinal);
                    var raw = Base58.Bitcoin.Decode(typo);
                    // A typo that still decodes to the right size and version is caught by the checksum alone.
                    if (raw.Length == 37 && raw[0] == Address.Version)
                        Assert.Contains("bad checksum", error, StringComparison.Ordinal);
                },
                iter: 2000
            );

    [Fact]
    public void A_correct_checksum_over_another_version_is_rejected_naming_the_version() =>
        Gen.Select(GenAddress, Gen.Byte.Where(v => v != Address.Version))
            .Sample(
                (address, version) =>
                {
                    var text = Encode(version, address.PublicKey);
                    var e = Assert.Throws<FormatException>(() => Address.Parse(text));
                    Assert.Contains(
                        $"version {version}, expected {Address.Version}",
                        e.Message,
                        StringComparison.Ordinal
                    );
                }
            );

    [Fact]
    public void A_flipped_checksum_byte_is_rejected_as_a_bad_checksum() =>
        Gen.Select(GenAddress, Gen.Int[0, 3], Gen.Byte[1, 255])
            .Sample(
                (address, index, mask) =>
                {
                    var good = SHA256.HashData(
                        SHA256.HashData(
                            "veritensor-address"u8.ToArray().Append(Address.Version).Concat(address.ToArray()).ToArray()
                        )
                    )[..4];
                    good[index] ^= mask;
                    var e = Assert.Throws<FormatException>(() =>
                        Address.Parse(Encode(Address.Version, address.PublicKey, good))
                    );
                    Assert.Contains("bad checksum", e.Message, StringComparison.Ordinal);
                }
            );

    [Theory]
    [InlineData(36)]
    [InlineData(38)]
    [InlineData(1)]
    [InlineData(64)]
    public void Text_of_the_wrong_length_is_rejected_with_the_length(int length)
    {
        var raw = new byte[length];
        raw[0] = Address.Version;
        var text = Base58.Bitcoin.Encode(raw);
        var e = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains($"decodes to {length} bytes, expected 37", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("+")]
    [InlineData("é")]
    public void Characters_outside_base58_are_rejected(string bad)
    {
        using var key = KeyPair.FromDevelopmentName("bob");
        var text = key.Address.ToString()[..10] + bad + key.Address.ToString()[11..];
        var e = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains("outside base58", e.Message, StringComparison.Ordinal);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Empty_text_is_rejected_as_empty(string? text)
    {
        Assert.False(Address.TryParse(text, out var address, out var error));
        Assert.Equal("The address is empty.", error);
        Assert.Equal(default, address);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void A_public_key_must_be_32_bytes(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => new Address(new byte[length]));
        Assert.Contains($"got {length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_and_order_follow_the_key_bytes() =>
        Gen.Select(Gen.Byte.Array[Address.Size], Gen.Byte.Array[Address.Size])
            .Sample(
                (a, b) =>
                {
                    var x = new Address(a);
                    var y = new Address(b);
                    Assert.Equal(a.AsSpan().SequenceEqual(b), x == y);
                    Assert.Equal(Math.Sign(a.AsSpan().SequenceCompareTo(b)), Math.Sign(x.CompareTo(y)));
                    Assert.Equal(x, new Address(a));
                    Assert.Equal(x.GetHashCode(), new Address(a).GetHashCode());
                }
            );

    [Fact]
    public void The_default_address_is_the_zero_address()
    {
        Assert.True(default(Address).IsZero);
        Assert.Equal(Address.Zero, default);
        using var key = KeyPair.FromDevelopmentName("carol");
        Assert.False(key.Address.IsZero);
    }
}
