using System.Security.Cryptography;
using NSec.Cryptography;
using SimpleBase;

namespace Veritensor.Core.Crypto;

/// <summary>
/// An account: an Ed25519 public key. Its text form is base58 of
/// <c>version ‖ public key ‖ checksum</c>, where the checksum is the first 4 bytes of
/// SHA-256(SHA-256("veritensor-address" ‖ version ‖ public key)), so a mistyped address is caught.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Size = 32;
    public const byte Version = 42;
    private const int ChecksumSize = 4;
    private static readonly byte[] ChecksumDomain = "veritensor-address"u8.ToArray();
    private static readonly System.Buffers.SearchValues<char> Base58Characters = System.Buffers.SearchValues.Create(
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    );
    private readonly byte[]? _publicKey;

    public Address(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Size)
            throw new ArgumentException($"A public key is {Size} bytes, got {publicKey.Length}.", nameof(publicKey));
        _publicKey = publicKey.ToArray();
    }

    /// <summary>The all-zero key; nobody holds its private key. Used where "no account" must be encoded.</summary>
    public static Address Zero { get; } = new(new byte[Size]);

    public ReadOnlySpan<byte> PublicKey => _publicKey ?? Zero._publicKey!;

    public bool IsZero => PublicKey.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Checks an Ed25519 signature by this account over <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, Signature signature)
    {
        if (
            !NSec.Cryptography.PublicKey.TryImport(
                SignatureAlgorithm.Ed25519,
                PublicKey,
                KeyBlobFormat.RawPublicKey,
                out var key
            )
        )
            return false;
        return SignatureAlgorithm.Ed25519.Verify(key!, message, signature.Span);
    }

    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var address, out var error))
            throw new FormatException(error);
        return address;
    }

    public static bool TryParse(string? text, out Address address) => TryParse(text, out address, out _);

    public static bool TryParse(string? text, out Address address, out string error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The address is empty.";
            return false;
        }
        byte[] raw;
        try
        {
            // SimpleBase throws IndexOutOfRangeException (not ArgumentException) for characters past its table,
            // e.g. non-ASCII letters, so the alphabet is checked first.
            var trimmed = text.Trim();
            if (trimmed.AsSpan().IndexOfAnyExcept(Base58Characters) >= 0)
                throw new ArgumentException("not base58", nameof(text));
            raw = Base58.Bitcoin.Decode(trimmed);
        }
        catch (ArgumentException)
        {
            error = $"'{text}' is not an address: it contains characters outside base58.";
            return false;
        }
        if (raw.Length != 1 + Size + ChecksumSize)
        {
            error =
                $"'{text}' is not an address: it decodes to {raw.Length} bytes, expected {1 + Size + ChecksumSize}.";
            return false;
        }
        if (raw[0] != Version)
        {
            error = $"'{text}' is not a Veritensor address (version {raw[0]}, expected {Version}).";
            return false;
        }
        var key = raw.AsSpan(1, Size);
        Span<byte> checksum = stackalloc byte[ChecksumSize];
        ComputeChecksum(key, checksum);
        if (!checksum.SequenceEqual(raw.AsSpan(1 + Size)))
        {
            error = $"'{text}' has a bad checksum: it was probably mistyped.";
            return false;
        }
        address = new Address(key);
        error = string.Empty;
        return true;
    }

    public override string ToString()
    {
        Span<byte> raw = stackalloc byte[1 + Size + ChecksumSize];
        raw[0] = Version;
        PublicKey.CopyTo(raw[1..]);
        ComputeChecksum(PublicKey, raw[(1 + Size)..]);
        return Base58.Bitcoin.Encode(raw);
    }

    private static void ComputeChecksum(ReadOnlySpan<byte> publicKey, Span<byte> destination)
    {
        Span<byte> preimage = stackalloc byte[ChecksumDomain.Length + 1 + Size];
        ChecksumDomain.CopyTo(preimage);
        preimage[ChecksumDomain.Length] = Version;
        publicKey.CopyTo(preimage[(ChecksumDomain.Length + 1)..]);
        Span<byte> first = stackalloc byte[32];
        SHA256.HashData(preimage, first);
        Span<byte> second = stackalloc byte[32];
        SHA256.HashData(first, second);
        second[..ChecksumSize].CopyTo(destination);
    }

    public bool Equals(Address other) => PublicKey.SequenceEqual(other.PublicKey);

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(PublicKey);

    public int CompareTo(Address other) => PublicKey.SequenceCompareTo(other.PublicKey);

    public byte[] ToArray() => PublicKey.ToArray();

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;
}
