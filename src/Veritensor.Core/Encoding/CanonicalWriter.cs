using System.Buffers;
using System.Buffers.Binary;
using Veritensor.Core.Crypto;

namespace Veritensor.Core.Encoding;

/// <summary>
/// Writes the one canonical binary encoding used for everything hashed or signed: fixed field order,
/// little-endian fixed-width integers, u32 length prefixes, UTF-8 strings, booleans as 0 or 1.
/// Every value has exactly one encoding, so equal values hash equally on every machine.
/// </summary>
public sealed class CanonicalWriter
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(
        encoderShouldEmitUTF8Identifier: false,
        throwOnInvalidBytes: true
    );
    private readonly ArrayBufferWriter<byte> _buffer;

    public CanonicalWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Clear() => _buffer.ResetWrittenCount();

    public CanonicalWriter WriteU8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public CanonicalWriter WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    public CanonicalWriter WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public CanonicalWriter WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public CanonicalWriter WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public CanonicalWriter WriteI64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    /// <summary>Raw bytes of a length both sides know (hashes, keys, signatures); no prefix.</summary>
    public CanonicalWriter WriteFixed(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>Variable-length bytes: a u32 length, then the bytes.</summary>
    public CanonicalWriter WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        return WriteFixed(bytes);
    }

    /// <summary>
    /// A u32 byte length, then UTF-8. A string with a lone surrogate has no UTF-8 form and throws
    /// <see cref="ArgumentException"/>: replacing it would give different strings the same encoding.
    /// </summary>
    public CanonicalWriter WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var byteCount = StrictUtf8.GetByteCount(value);
        WriteU32((uint)byteCount);
        StrictUtf8.GetBytes(value, _buffer.GetSpan(byteCount));
        _buffer.Advance(byteCount);
        return this;
    }

    public CanonicalWriter WriteHash(Hash256 hash) => WriteFixed(hash.Span);

    public CanonicalWriter WriteAddress(Address address) => WriteFixed(address.PublicKey);

    public CanonicalWriter WriteSignature(Signature signature) => WriteFixed(signature.Span);

    public CanonicalWriter WriteAmount(Amount amount) => WriteU64(amount.BaseUnits);
}
