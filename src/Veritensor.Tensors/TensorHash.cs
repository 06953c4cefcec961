using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Tensors;

/// <summary>
/// The canonical hash of a set of named tensors: the input hash and the output hash of an inference receipt.
/// <para>It is SHA-256 over these <see cref="CanonicalWriter"/> bytes, independent of the list's order:</para>
/// <list type="number">
/// <item>the domain string "veritensor/tensors/v1";</item>
/// <item>the tensor count (u32);</item>
/// <item>for each tensor, sorted by name (ordinal): name (string), element type (u8, the ONNX number), rank (u8),
/// each dimension (i64), then the data: for numeric, bool, float16 and bfloat16 tensors the raw little-endian
/// element bytes (length-prefixed); for string tensors the element count (u64) and each element as a
/// length-prefixed UTF-8 string.</item>
/// </list>
/// Names must be unique, since a set with two equal names has no canonical order.
/// </summary>
public static class TensorHash
{
    public const string Domain = "veritensor/tensors/v1";

    public static Hash256 Compute(IReadOnlyList<NamedTensor> tensors) => Hash256.Compute(CanonicalBytes(tensors));

    public static byte[] CanonicalBytes(IReadOnlyList<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
                throw new ArgumentException($"tensor name '{sorted[i].Name}' appears twice", nameof(tensors));
        }
        var writer = new CanonicalWriter();
        writer.WriteString(Domain).WriteU32(checked((uint)sorted.Length));
        foreach (var named in sorted)
        {
            var tensor = named.Tensor;
            writer.WriteString(named.Name).WriteU8((byte)tensor.ElementType).WriteU8(checked((byte)tensor.Rank));
            foreach (var dim in tensor.Shape)
                writer.WriteI64(dim);
            if (tensor.IsString)
            {
                writer.WriteU64(checked((ulong)tensor.Strings.Count));
                foreach (var value in tensor.Strings)
                    writer.WriteString(value);
            }
            else
            {
                writer.WriteBytes(tensor.Data.Span);
            }
        }
        return writer.ToArray();
    }
}
