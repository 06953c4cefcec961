using System.Buffers.Binary;
using CsCheck;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Core.Tests;

[UnitTest]
public sealed class CanonicalEncodingTests
{
    /// <summary>One value of one of the writer's types; <see cref="Write"/> and <see cref="ReadAndCompare"/> use the matching pair of methods.</summary>
    private abstract record Field
    {
        public abstract void Write(CanonicalWriter writer);

        public abstract void ReadAndCompare(ref CanonicalReader reader, string name);
    }

    private sealed record U8Field(byte Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteU8(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadU8(name));
    }

    private sealed record BoolField(bool Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteBool(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadBool(name));
    }

    private sealed record U16Field(ushort Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteU16(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadU16(name));
    }

    private sealed record U32Field(uint Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteU32(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadU32(name));
    }

    private sealed record U64Field(ulong Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteU64(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadU64(name));
    }

    private sealed record I64Field(long Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteI64(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadI64(name));
    }

    private sealed record FixedField(byte[] Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteFixed(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadFixed(Value.Length, name).ToArray());
    }

    private sealed record BytesField(byte[] Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteBytes(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadBytes(name, Value.Length).ToArray());
    }

    private sealed record StringField(string Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteString(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadString(name, System.Text.Encoding.UTF8.GetByteCount(Value)));
    }

    private sealed record HashField(Hash256 Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteHash(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadHash(name));
    }

    private sealed record AddressField(Address Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteAddress(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadAddress(name));
    }

    private sealed record SignatureField(Signature Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteSignature(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadSignature(name));
    }

    private sealed record AmountField(Amount Value) : Field
    {
        public override void Write(CanonicalWriter writer) => writer.WriteAmount(Value);

        public override void ReadAndCompare(ref CanonicalReader reader, string name) =>
            Assert.Equal(Value, reader.ReadAmount(name));
    }

    /// <summary>Any Unicode scalar value (no lone surrogates): ASCII, 2-, 3- and 4-byte UTF-8.</summary>
    private static readonly Gen<string> GenText = Gen.Int[0, 0x10FFFF]
        .Where(c => c is < 0xD800 or > 0xDFFF)
        .Select(char.ConvertFromUtf32)
        .Array[0, 24]
        .Select(string.Concat);

    private static readonly Gen<Field> GenField = Gen.OneOf<Field>(
        Gen.Byte.Select(v => (Field)new U8Field(v)),
        Gen.Bool.Select(v => (Field)new BoolField(v)),
        Gen.UShort.Select(v => (Field)new U16Field(v)),
        Gen.UInt.Select(v => (Field)new U32Field(v)),
        Gen.ULong.Select(v => (Field)new U64Field(v)),
        Gen.Long.Select(v => (Field)new I64Field(v)),
        Gen.Byte.Array[1, 40].Select(v => (Field)new FixedField(v)),
        Gen.Byte.Array[0, 40].Select(v => (Field)new BytesField(v)),
        GenText.Select(v => (Field)new StringField(v)),
        Gen.Byte.Array[Hash256.Size].Select(v => (Field)new HashField(new Hash256(v))),
        Gen.Byte.Array[Address.Size].Select(v => (Field)new AddressField(new Address(v))),
        Gen.Byte.Array[Signature.Size].Select(v => (Field)new SignatureField(new Signature(v))),
        Gen.ULong.Select(v => (Field)new AmountField(new Amount(v)))
    );

    private static string NameOf(int index) => $"field#{index}#";

    private static byte[] WriteAll(Field[] fields, out int[] ends)
    {
        var writer = new CanonicalWriter(8);
        ends = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Write(writer);
            ends[i] = writer.Length;
        }
        return writer.ToArray();
    }

    private static void ReadAll(byte[] bytes, Field[] fields)
    {
        var reader = new CanonicalReader(bytes);
        for (var i = 0; i < fields.Length; i++)
            fields[i].ReadAndCompare(ref reader, NameOf(i));
        reader.EnsureEnd("record");
    }

    [Fact]
    public void Every_written_sequence_of_values_reads_back_equal_and_ends_exactly() =>
        GenField
            .Array[0, 12]
            .Sample(fields =>
            {
                var bytes = WriteAll(fields, out _);
                ReadAll(bytes, fields);
            });

    [Fact]
    public void Every_strict_prefix_of_an_encoding_is_rejected_as_truncated_naming_the_field_being_read() =>
        GenField
            .Array[1, 8]
            .SelectMany(fields => Gen.Int[0, WriteAll(fields, out _).Length - 1].Select(cut => (fields, cut)))
            .Sample(
                (fields, cut) =>
                {
                    var truncated = WriteAll(fields, out var ends)[..cut];
                    var failing = Array.FindIndex(ends, end => end > cut);
                    var e = Assert.Throws<CanonicalEncodingException>(() => ReadAll(truncated, fields));
                    Assert.Contains("Truncated", e.Message, StringComparison.Ordinal);
                    Assert.Contains(NameOf(failing), e.Message, StringComparison.Ordinal);
                }
            );

    [Fact]
    public void Trailing_bytes_are_rejected_with_their_count_and_what_was_read() =>
        Gen.Select(GenField.Array[0, 6], Gen.Byte.Array[1, 10])
            .Sample(
                (fields, extra) =>
                {
                    var bytes = WriteAll(fields, out _).Concat(extra).ToArray();
                    var e = Assert.Throws<CanonicalEncodingException>(() => ReadAll(bytes, fields));
                    Assert.Contains(
                        $"{extra.Length} unexpected trailing bytes after the record",
                        e.Message,
                        StringComparison.Ordinal
                    );
                }
            );

    [Fact]
    public void Integers_are_little_endian_and_fixed_width()
    {
        var bytes = new CanonicalWriter()
            .WriteU8(0xAB)
            .WriteBool(true)
            .WriteBool(false)
            .WriteU16(0x0102)
            .WriteU32(0x01020304)
            .WriteU64(0x0102030405060708)
            .WriteI64(-2)
            .WriteAmount(new Amount(1))
            .ToArray();
        Assert.Equal(
            "AB" + "01" + "00" + "0201" + "04030201" + "0807060504030201" + "FEFFFFFFFFFFFFFF" + "0100000000000000",
            Convert.ToHexString(bytes)
        );
    }

    [Fact]
    public void Strings_and_byte_strings_carry_a_u32_length_prefix_and_fixed_values_do_not()
    {
        var bytes = new CanonicalWriter().WriteString("é").WriteBytes([7, 8, 9]).WriteFixed([5, 6]).ToArray();
        Assert.Equal("02000000" + "C3A9" + "03000000" + "070809" + "0506", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Writer_tracks_its_length_and_clear_starts_over()
    {
        var writer = new CanonicalWriter(1).WriteU64(1).WriteString("abc");
        Assert.Equal(8 + 4 + 3, writer.Length);
        Assert.Equal(writer.ToArray(), writer.WrittenMemory.ToArray());
        writer.Clear();
        Assert.Equal(0, writer.Length);
        Assert.Equal([0x2A], writer.WriteU8(42).ToArray());
    }

    [Fact]
    public void Reader_reports_position_and_remaining_as_it_goes()
    {
        var reader = new CanonicalReader(new CanonicalWriter().WriteU32(1).WriteU16(2).ToArray());
        Assert.Equal((0, 6), (reader.Position, reader.Remaining));
        reader.ReadU32("a");
        Assert.Equal((4, 2), (reader.Position, reader.Remaining));
        reader.ReadU16("b");
        Assert.Equal((6, 0), (reader.Position, reader.Remaining));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Booleans_other_than_0_and_1_are_rejected_naming_the_field(byte value)
    {
        var e = Assert.Throws<CanonicalEncodingException>(() =>
        {
            var reader = new CanonicalReader([value]);
            reader.ReadBool("isActive");
        });
        Assert.Contains("'isActive' must be 0 or 1", e.Message, StringComparison.Ordinal);
        Assert.Contains(
            value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Every_byte_other_than_0_and_1_is_rejected_as_a_boolean() =>
        Gen.Byte[2, 255]
            .Sample(value =>
                Assert.Throws<CanonicalEncodingException>(() =>
                {
                    var reader = new CanonicalReader([value]);
                    reader.ReadBool("flag");
                })
            );

    [Fact]
    public void Byte_strings_longer_than_the_limit_are_rejected_naming_the_field_and_the_limit() =>
        Gen
            .Byte.Array[1, 64]
            .Sample(value =>
            {
                var bytes = new CanonicalWriter().WriteBytes(value).ToArray();
                var e = Assert.Throws<CanonicalEncodingException>(() =>
                {
                    var reader = new CanonicalReader(bytes);
                    reader.ReadBytes("payload", value.Length - 1);
                });
                Assert.Contains(
                    $"'payload' is {value.Length} bytes; the limit is {value.Length - 1}",
                    e.Message,
                    StringComparison.Ordinal
                );

                var atLimit = new CanonicalReader(bytes);
                Assert.Equal(value, atLimit.ReadBytes("payload", value.Length).ToArray());
            });

    [Fact]
    public void Strings_longer_than_the_limit_in_utf8_bytes_are_rejected_naming_the_field()
    {
        var bytes = new CanonicalWriter().WriteString("ééé").ToArray(); // 6 UTF-8 bytes, 3 chars
        var e = Assert.Throws<CanonicalEncodingException>(() =>
        {
            var reader = new CanonicalReader(bytes);
            reader.ReadString("endpoint", 5);
        });
        Assert.Contains("'endpoint' is 6 bytes; the limit is 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_prefix_past_the_end_is_rejected_as_truncated_not_allocated()
    {
        var bytes = new CanonicalWriter().WriteU32(0x7FFF_FFFF).WriteU8(1).ToArray();
        var e = Assert.Throws<CanonicalEncodingException>(() =>
        {
            var reader = new CanonicalReader(bytes);
            reader.ReadBytes("blob", int.MaxValue);
        });
        Assert.Contains("Truncated input: 'blob'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FF")] // never valid in UTF-8
    [InlineData("C328")] // lead byte followed by a non-continuation byte
    [InlineData("C080")] // overlong encoding of U+0000
    [InlineData("EDA080")] // an encoded surrogate (U+D800)
    [InlineData("F4908080")] // above U+10FFFF
    [InlineData("E282")] // truncated 3-byte sequence
    public void Invalid_utf8_is_rejected_naming_the_field(string hex)
    {
        var raw = Convert.FromHexString(hex);
        var bytes = new CanonicalWriter().WriteBytes(raw).ToArray();
        var e = Assert.Throws<CanonicalEncodingException>(() =>
        {
            var reader = new CanonicalReader(bytes);
            reader.ReadString("chainId", 64);
        });
        Assert.Contains("'chainId' is not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", 0xD800, "")]
    [InlineData("", 0xDC00, "b")]
    [InlineData("x", 0xDFFF, "\u00e9")]
    public void Writer_refuses_strings_with_lone_surrogates_instead_of_silently_changing_them(
        string before,
        int surrogate,
        string after
    )
    {
        var text = before + (char)surrogate + after; // built here: test-case serialisation would replace a lone surrogate
        // Replacing a lone surrogate with U+FFFD would give two different strings the same encoding (and
        // signature), and the reader would hand back a different string than the one written.
        Assert.ThrowsAny<ArgumentException>(() => new CanonicalWriter().WriteString(text));
    }

    [Fact]
    public void Fixed_width_reads_past_the_end_name_the_field_and_the_bytes_needed()
    {
        var e = Assert.Throws<CanonicalEncodingException>(() =>
        {
            var reader = new CanonicalReader(new byte[20]);
            reader.ReadHash("parentHash");
        });
        Assert.Contains("'parentHash' needs 32 bytes at offset 0, 20 left", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Little_endian_values_decode_independently_of_the_writer() =>
        Gen.Select(Gen.ULong, Gen.UInt)
            .Sample(
                (u64, u32) =>
                {
                    var bytes = new byte[12];
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes, u64);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), u32);
                    var reader = new CanonicalReader(bytes);
                    Assert.Equal(u64, reader.ReadU64("a"));
                    Assert.Equal(u32, reader.ReadU32("b"));
                    reader.EnsureEnd("pair");
                }
            );
}
