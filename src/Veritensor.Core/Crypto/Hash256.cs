using System.Security.Cryptography;

namespace Veritensor.Core.Crypto;

/// <summary>A SHA-256 digest: transaction ids, block hashes, state and transaction roots, content ids.</summary>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Size = 32;
    private readonly byte[]? _bytes;

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"A hash is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    /// <summary>The all-zero hash: the parent of the genesis block, the root of an empty tree.</summary>
    public static Hash256 Zero { get; } = new(new byte[Size]);

    public ReadOnlySpan<byte> Span => _bytes ?? Zero._bytes!;

    public bool IsZero => Span.IndexOfAnyExcept((byte)0) < 0;

    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return new Hash256(digest);
    }

    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out var hash))
            throw new FormatException($"'{hex}' is not a 64-character hex hash.");
        return hash;
    }

    public static bool TryParse(string? hex, out Hash256 hash)
    {
        hash = default;
        if (hex is null)
            return false;
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            hex = hex[2..];
        if (hex.Length != Size * 2)
            return false;
        try
        {
            hash = new Hash256(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool Equals(Hash256 other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public int CompareTo(Hash256 other) => Span.SequenceCompareTo(other.Span);

    public override string ToString() => Convert.ToHexStringLower(Span);

    public byte[] ToArray() => Span.ToArray();

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;
}
