namespace Veritensor.Tensors;

/// <summary>
/// The outcome of comparing an executor's outputs with a verifier's. The error maxima cover the finite floating
/// elements of all tensors; <see cref="FirstMismatch"/> names the first element that broke the rule (or the
/// structural difference), null when everything matched.
/// </summary>
public sealed record ComparisonResult(
    bool Match,
    double MaxAbsError,
    double MaxRelError,
    ulong MaxUlpDistance,
    string? FirstMismatch
);
