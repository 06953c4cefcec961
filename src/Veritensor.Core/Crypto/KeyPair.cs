using System.Security.Cryptography;
using NSec.Cryptography;

namespace Veritensor.Core.Crypto;

/// <summary>An Ed25519 private key (from a 32-byte seed) with its address. Dispose it when done.</summary>
public sealed class KeyPair : IDisposable
{
    public const int SeedSize = 32;
    private readonly Key _key;

    private KeyPair(Key key)
    {
        _key = key;
        Address = new Address(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public Address Address { get; }

    public static KeyPair Generate() =>
        new(
            Key.Create(
                SignatureAlgorithm.Ed25519,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }
            )
        );

    public static KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        return new(
            Key.Import(
                SignatureAlgorithm.Ed25519,
                seed,
                KeyBlobFormat.RawPrivateKey,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }
            )
        );
    }

    /// <summary>A well-known key for development networks and tests; never hold value with it.</summary>
    public static KeyPair FromDevelopmentName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return FromSeed(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("veritensor-dev-key/" + name)));
    }

    public Signature Sign(ReadOnlySpan<byte> message) => new(SignatureAlgorithm.Ed25519.Sign(_key, message));

    /// <summary>The 32-byte seed. The caller owns the array and should zero it after use.</summary>
    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    public void Dispose() => _key.Dispose();
}
