namespace Veritensor.Core.Crypto;

/// <summary>A 64-byte Ed25519 signature.</summary>
public readonly struct Signature : IEquatable<Signature>
{
    public const int Size = 64;
    private readonly byte[]? _bytes;

    public Signature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"A signature is {Size} bytes, got {bytes.Length}.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    public static Signature Empty { get; } = new(new byte[Size]);

    public ReadOnlySpan<byte> Span => _bytes ?? Empty._bytes!;

    public bool Equals(Signature other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Span);

    public override string ToString() => Convert.ToHexStringLower(Span);

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);
}
