using System.Security.Cryptography;
using CsCheck;
using Veritensor.Core.Crypto;

namespace Veritensor.Core.Tests;

[UnitTest]
public sealed class SignatureTests
{
    private static readonly Gen<byte[]> GenSeed = Gen.Byte.Array[KeyPair.SeedSize];
    private static readonly Gen<byte[]> GenMessage = Gen.Byte.Array[0, 200];

    [Theory]
    // RFC 8032 section 7.1, TEST 1 and TEST 2.
    [InlineData(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )]
    [InlineData(
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    )]
    public void Keys_and_signatures_match_the_RFC_8032_test_vectors(
        string seed,
        string publicKey,
        string message,
        string signature
    )
    {
        using var key = KeyPair.FromSeed(Convert.FromHexString(seed));
        Assert.Equal(publicKey, Convert.ToHexStringLower(key.Address.PublicKey));
        var sig = key.Sign(Convert.FromHexString(message));
        Assert.Equal(signature, sig.ToString());
        Assert.True(key.Address.Verify(Convert.FromHexString(message), sig));
    }

    [Fact]
    public void A_signature_verifies_for_its_key_and_message() =>
        Gen.Select(GenSeed, GenMessage)
            .Sample(
                (seed, message) =>
                {
                    using var key = KeyPair.FromSeed(seed);
                    Assert.True(key.Address.Verify(message, key.Sign(message)));
                },
                iter: 50
            );

    [Fact]
    public void Flipping_any_bit_of_the_message_breaks_the_signature() =>
        Gen.SelectMany(GenSeed, Gen.Byte.Array[1, 100], (seed, message) =>
                Gen.Int[0, message.Length * 8 - 1].Select(bit => (seed, message, bit))
            )
            .Sample(
                (seed, message, bit) =>
                {
                    using var key = KeyPair.FromSeed(seed);
                    var signature = key.Sign(message);
                    var tampered = (byte[])message.Clone();
                    tampered[bit / 8] ^= (byte)(1 << (bit % 8));
                    Assert.False(key.Address.Verify(tampered, signature));
                },
                iter: 50
            );

    [Fact]
    public void Flipping_any_bit_of_the_signature_breaks_it() =>
        Gen.Select(GenSeed, GenMessage, Gen.Int[0, Signature.Size * 8 - 1])
            .Sample(
                (seed, message, bit) =>
                {
                    using var key = KeyPair.FromSeed(seed);
                    var bytes = key.Sign(message).Span.ToArray();
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    Assert.False(key.Address.Verify(message, new Signature(bytes)));
                },
                iter: 50
            );

    [Fact]
    public void A_signature_does_not_verify_for_another_key() =>
        Gen.Select(GenSeed, GenSeed, GenMessage)
            .Where((a, b, _) => !a.AsSpan().SequenceEqual(b))
            .Sample(
                (seedA, seedB, message) =>
                {
                    using var signer = KeyPair.FromSeed(seedA);
                    using var other = KeyPair.FromSeed(seedB);
                    Assert.False(other.Address.Verify(message, signer.Sign(message)));
                },
                iter: 50
            );

    [Fact]
    public void The_empty_signature_and_the_zero_address_verify_nothing()
    {
        using var key = KeyPair.FromDevelopmentName("alice");
        Assert.False(key.Address.Verify("hello"u8, Signature.Empty));
        Assert.False(Address.Zero.Verify("hello"u8, key.Sign("hello"u8)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_key_and_the_same_signatures() =>
        Gen.Select(GenSeed, GenMessage)
            .Sample(
                (seed, message) =>
                {
                    using var first = KeyPair.FromSeed(seed);
                    using var second = KeyPair.FromSeed(seed);
                    Assert.Equal(first.Address, second.Address);
                    Assert.Equal(first.Sign(message), second.Sign(message));
                    Assert.Equal(seed, first.ExportSeed());
                },
                iter: 50
            );

    [Fact]
    public void Different_seeds_give_different_addresses() =>
        Gen.Select(GenSeed, GenSeed)
            .Where((a, b) => !a.AsSpan().SequenceEqual(b))
            .Sample(
                (a, b) =>
                {
                    using var first = KeyPair.FromSeed(a);
                    using var second = KeyPair.FromSeed(b);
                    Assert.NotEqual(first.Address, second.Address);
                },
                iter: 50
            );

    [Fact]
    public void Development_keys_are_the_documented_hash_of_their_name_and_differ_by_name()
    {
        using var alice = KeyPair.FromDevelopmentName("alice");
        using var aliceAgain = KeyPair.FromDevelopmentName("alice");
        using var bob = KeyPair.FromDevelopmentName("bob");
        using var fromSeed = KeyPair.FromSeed(SHA256.HashData("veritensor-dev-key/alice"u8));
        Assert.Equal(alice.Address, aliceAgain.Address);
        Assert.Equal(fromSeed.Address, alice.Address);
        Assert.NotEqual(alice.Address, bob.Address);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_seed_must_be_32_bytes(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => KeyPair.FromSeed(new byte[length]));
        Assert.Contains($"got {length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_keys_differ_and_sign_verifiably()
    {
        using var a = KeyPair.Generate();
        using var b = KeyPair.Generate();
        Assert.NotEqual(a.Address, b.Address);
        Assert.True(a.Address.Verify("m"u8, a.Sign("m"u8)));
    }

    private sealed record SignedItem(Address Signer, byte[] Message, Signature Signature, bool ExpectedValid);

    private static SignedItem[] MixedItems(int count, int seed)
    {
        var random = new Random(seed);
        using var alice = KeyPair.FromDevelopmentName("alice");
        using var bob = KeyPair.FromDevelopmentName("bob");
        var items = new SignedItem[count];
        for (var i = 0; i < count; i++)
        {
            var message = new byte[random.Next(0, 64)];
            random.NextBytes(message);
            var signature = alice.Sign(message);
            items[i] = random.Next(3) switch
            {
                0 => new SignedItem(alice.Address, message, signature, true),
                1 => new SignedItem(bob.Address, message, signature, false),
                _ => new SignedItem(alice.Address, [.. message, 0], signature, false),
            };
        }
        return items;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    [InlineData(1000)]
    public void Batch_verification_returns_each_items_result_in_order(int count)
    {
        var items = MixedItems(count, seed: count);
        var calls = 0;
        var results = SignatureBatch.VerifyAll(items, item =>
        {
            Interlocked.Increment(ref calls);
            return item.Signer.Verify(item.Message, item.Signature);
        });
        Assert.Equal(items.Select(i => i.ExpectedValid), results);
        Assert.Equal(count, calls);
    }

    [Fact]
    public void Batch_verification_puts_every_result_at_its_own_index_on_the_parallel_path()
    {
        // The flag says whether the index is a multiple of 3: any mixing-up of indices would show.
        var items = Enumerable.Range(0, 5000).ToArray();
        var results = SignatureBatch.VerifyAll(items, i => i % 3 == 0);
        Assert.Equal(items.Select(i => i % 3 == 0), results);
    }
}
