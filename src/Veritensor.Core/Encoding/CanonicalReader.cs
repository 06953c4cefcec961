using System.Buffers.Binary;
using System.Text;
using Veritensor.Core.Crypto;

namespace Veritensor.Core.Encoding;

/// <summary>
/// Reads what <see cref="CanonicalWriter"/> writes and rejects anything else: truncation, lengths past
/// the end or past a limit, booleans other than 0 or 1, invalid UTF-8, and (with <see cref="EnsureEnd"/>)
/// trailing bytes. Errors name the field being read.
/// </summary>
public ref struct CanonicalReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(
        encoderShouldEmitUTF8Identifier: false,
        throwOnInvalidBytes: true
    );
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public CanonicalReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _data.Length - _position;

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
            throw new CanonicalEncodingException(
                $"Truncated input: '{field}' needs {count} bytes at offset {_position}, {Remaining} left."
            );
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public byte ReadU8(string field) => Take(1, field)[0];

    public bool ReadBool(string field) =>
        ReadU8(field) switch
        {
            0 => false,
            1 => true,
            var other => throw new CanonicalEncodingException($"'{field}' must be 0 or 1, got {other}."),
        };

    public ushort ReadU16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint ReadU32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong ReadU64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public long ReadI64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public ReadOnlySpan<byte> ReadFixed(int count, string field) => Take(count, field);

    public ReadOnlySpan<byte> ReadBytes(string field, int maxLength)
    {
        var length = ReadU32(field + ".length");
        if (length > (uint)maxLength)
            throw new CanonicalEncodingException($"'{field}' is {length} bytes; the limit is {maxLength}.");
        return Take((int)length, field);
    }

    public string ReadString(string field, int maxBytes)
    {
        var bytes = ReadBytes(field, maxBytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CanonicalEncodingException($"'{field}' is not valid UTF-8.", e);
        }
    }

    public Hash256 ReadHash(string field) => new(Take(Hash256.Size, field));

    public Address ReadAddress(string field) => new(Take(Address.Size, field));

    public Signature ReadSignature(string field) => new(Take(Signature.Size, field));

    public Amount ReadAmount(string field) => new(ReadU64(field));

    /// <summary>Throws when bytes are left over: a canonical encoding has nothing after its last field.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (Remaining != 0)
            throw new CanonicalEncodingException($"{Remaining} unexpected trailing bytes after the {what}.");
    }
}
