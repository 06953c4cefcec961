using System.Buffers.Binary;

namespace Veritensor.Tensors;

/// <summary>
/// Decides whether a verifier's re-execution reproduces an executor's outputs. Pure: no I/O, no state.
/// <list type="bullet">
/// <item>The lists must have the same length and, position by position, the same names, element types and shapes.</item>
/// <item>Under the same execution profile every element must be bit-identical.</item>
/// <item>Otherwise a floating element (float32/64, float16, bfloat16) passes when |a − b| ≤ atol + rtol·|a|
/// (a = the executor's value, the reference) or when a and b are at most <c>Ulps</c> apart; NaN matches NaN,
/// an infinity matches only the same infinity. Integer, bool and string elements must be equal.</item>
/// </list>
/// </summary>
public static class OutputComparer
{
    public static ComparisonResult Compare(
        IReadOnlyList<NamedTensor> expected,
        IReadOnlyList<NamedTensor> actual,
        VerificationTolerance tolerance,
        bool sameProfile
    )
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (expected.Count != actual.Count)
            return Structural($"expected {expected.Count} outputs, got {actual.Count}");
        var stats = new Stats();
        for (var t = 0; t < expected.Count; t++)
        {
            var (e, a) = (expected[t], actual[t]);
            if (e.Name != a.Name)
                return Structural($"output {t}: expected '{e.Name}', got '{a.Name}'");
            if (e.Tensor.ElementType != a.Tensor.ElementType || !e.Tensor.Shape.SequenceEqual(a.Tensor.Shape))
                return Structural($"output '{e.Name}': expected {e.Tensor}, got {a.Tensor}");
            CompareTensor(e.Name, e.Tensor, a.Tensor, tolerance, sameProfile, stats);
        }
        return new ComparisonResult(
            stats.FirstMismatch is null,
            stats.MaxAbs,
            stats.MaxRel,
            stats.MaxUlps,
            stats.FirstMismatch
        );
    }

    private static ComparisonResult Structural(string message) => new(false, 0, 0, 0, message);

    private static void CompareTensor(
        string name,
        Tensor expected,
        Tensor actual,
        VerificationTolerance tolerance,
        bool sameProfile,
        Stats stats
    )
    {
        var type = expected.ElementType;
        var floating = TensorElementTypes.IsFloating(type);
        for (long i = 0; i < expected.ElementCount; i++)
        {
            bool ok;
            if (floating)
            {
                var (a, b, ulps, bitEqual) = FloatElement(type, expected, actual, i);
                stats.Record(a, b, ulps);
                ok = sameProfile ? bitEqual : FloatMatches(a, b, ulps, tolerance);
            }
            else
            {
                ok = expected.IsString
                    ? string.Equals(expected.Strings[(int)i], actual.Strings[(int)i], StringComparison.Ordinal)
                    : ElementBytes(expected, i).SequenceEqual(ElementBytes(actual, i));
            }
            if (!ok && stats.FirstMismatch is null)
                stats.FirstMismatch =
                    $"output '{name}' element {i}: expected {expected.FormatElement(i)}, got {actual.FormatElement(i)}";
        }
    }

    private static bool FloatMatches(double a, double b, ulong ulps, VerificationTolerance tolerance)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
            return double.IsNaN(a) && double.IsNaN(b);
        if (double.IsInfinity(a) || double.IsInfinity(b))
            return a == b;
        return Math.Abs(a - b) <= tolerance.Absolute + (tolerance.Relative * Math.Abs(a)) || ulps <= tolerance.Ulps;
    }

    private static ReadOnlySpan<byte> ElementBytes(Tensor tensor, long index)
    {
        var size = TensorElementTypes.SizeOf(tensor.ElementType);
        return tensor.Data.Span.Slice(checked((int)(index * size)), size);
    }

    private static (double A, double B, ulong Ulps, bool BitEqual) FloatElement(
        TensorElementType type,
        Tensor expected,
        Tensor actual,
        long i
    )
    {
        var ea = ElementBytes(expected, i);
        var eb = ElementBytes(actual, i);
        var bitEqual = ea.SequenceEqual(eb);
        switch (type)
        {
            case TensorElementType.Float:
            {
                var (a, b) = (BinaryPrimitives.ReadSingleLittleEndian(ea), BinaryPrimitives.ReadSingleLittleEndian(eb));
                return (a, b, UlpDistance.Between(a, b), bitEqual);
            }
            case TensorElementType.Double:
            {
                var (a, b) = (BinaryPrimitives.ReadDoubleLittleEndian(ea), BinaryPrimitives.ReadDoubleLittleEndian(eb));
                return (a, b, UlpDistance.Between(a, b), bitEqual);
            }
            default:
            {
                var (a, b) = (expected.GetDouble(i), actual.GetDouble(i));
                var ulps = UlpDistance.Between16(
                    BinaryPrimitives.ReadUInt16LittleEndian(ea),
                    double.IsNaN(a),
                    BinaryPrimitives.ReadUInt16LittleEndian(eb),
                    double.IsNaN(b)
                );
                return (a, b, ulps, bitEqual);
            }
        }
    }

    private sealed class Stats
    {
        public double MaxAbs { get; private set; }
        public double MaxRel { get; private set; }
        public ulong MaxUlps { get; private set; }
        public string? FirstMismatch { get; set; }

        public void Record(double a, double b, ulong ulps)
        {
            if (!double.IsFinite(a) || !double.IsFinite(b))
                return;
            var abs = Math.Abs(a - b);
            MaxAbs = Math.Max(MaxAbs, abs);
            if (abs > 0)
                MaxRel = Math.Max(MaxRel, a == 0 ? double.PositiveInfinity : abs / Math.Abs(a));
            MaxUlps = Math.Max(MaxUlps, ulps);
        }
    }
}
