using Veritensor.Core.Encoding;

namespace Veritensor.Tensors;

/// <summary>
/// How far a re-executed floating output may differ from the executor's and still match. An element
/// matches when |a − b| ≤ absolute + relative·|b|, or when a and b are at most <see cref="Ulps"/> units
/// in the last place apart. Integer, bool and string outputs always compare exactly; outputs of two
/// equal execution profiles compare bit for bit.
/// <para>The ledger only stores and hashes the bounds, so they are integers in units of 10^-12 (no floating
/// point in consensus state); <see cref="Absolute"/> and <see cref="Relative"/> give them as doubles for the comparer.</para>
/// </summary>
public sealed record VerificationTolerance(ulong AbsolutePico, ulong RelativePico, uint Ulps)
{
    public const double PicoScale = 1e-12;

    /// <summary>atol 1e-5, rtol 1e-4, 64 ULPs: wide enough for thread-count and SIMD reordering on CPU, far narrower than any useful tampering.</summary>
    public static VerificationTolerance Default { get; } = new(10_000_000, 100_000_000, 64);

    /// <summary>Bit-exact comparison of every element.</summary>
    public static VerificationTolerance Exact { get; } = new(0, 0, 0);

    public double Absolute => AbsolutePico * PicoScale;
    public double Relative => RelativePico * PicoScale;

    public static VerificationTolerance FromDoubles(double absolute, double relative, uint ulps)
    {
        if (!(absolute >= 0 && absolute <= 1e6))
            throw new ArgumentOutOfRangeException(
                nameof(absolute),
                absolute,
                "absolute tolerance must be between 0 and 1e6"
            );
        if (!(relative >= 0 && relative <= 1e6))
            throw new ArgumentOutOfRangeException(
                nameof(relative),
                relative,
                "relative tolerance must be between 0 and 1e6"
            );
        return new VerificationTolerance(
            (ulong)Math.Round(absolute / PicoScale),
            (ulong)Math.Round(relative / PicoScale),
            ulps
        );
    }

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteU64(AbsolutePico).WriteU64(RelativePico).WriteU32(Ulps);
    }

    public static VerificationTolerance Read(ref CanonicalReader reader) =>
        new(
            reader.ReadU64("tolerance.absolute"),
            reader.ReadU64("tolerance.relative"),
            reader.ReadU32("tolerance.ulps")
        );

    public override string ToString() => $"atol {Absolute:G3}, rtol {Relative:G3}, {Ulps} ULPs";
}
