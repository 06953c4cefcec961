using Veritensor.Tensors;

namespace Veritensor.Inference.Models;

/// <summary>
/// Checks inputs against a model's signature before anything runs, so a caller gets one clear message instead
/// of an ORT error. Checks, in this order: duplicate and unknown names; then each model input in signature order:
/// present, element type, rank, each fixed dimension; finally the total size.
/// </summary>
public static class ModelInputValidator
{
    /// <summary>Throws <see cref="InputValidationException"/> naming the first mismatch.</summary>
    public static void Validate(ModelSignature signature, IReadOnlyList<NamedTensor> inputs, long maxTotalBytes)
    {
        if (Problem(signature, inputs, maxTotalBytes) is { } problem)
            throw new InputValidationException(problem);
    }

    /// <summary>Null when the inputs fit, else the first mismatch, e.g. "input 'x': expected float32[?,4], got int64[1,4]".</summary>
    public static string? Problem(ModelSignature signature, IReadOnlyList<NamedTensor> inputs, long maxTotalBytes)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(inputs);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!byName.TryAdd(input.Name, input.Tensor))
                return $"input '{input.Name}' is given twice";
            if (!signature.Inputs.Any(spec => spec.Name == input.Name))
                return $"unknown input '{input.Name}'; the model's inputs are {string.Join(", ", signature.Inputs.Select(s => $"'{s.Name}'"))}";
        }
        foreach (var spec in signature.Inputs)
        {
            var expected = $"{TensorElementTypes.Name(spec.ElementType)}{spec.ShapeText}";
            if (!byName.TryGetValue(spec.Name, out var tensor))
                return $"missing input '{spec.Name}' ({expected})";
            var mismatch = $"input '{spec.Name}': expected {expected}, got {tensor}";
            if (tensor.ElementType != spec.ElementType || tensor.Rank != spec.Shape.Count)
                return mismatch;
            for (var axis = 0; axis < spec.Shape.Count; axis++)
            {
                if (spec.Shape[axis] != TensorSpec.SymbolicDimension && spec.Shape[axis] != tensor.Shape[axis])
                    return $"{mismatch} (dimension {axis} must be {spec.Shape[axis]})";
            }
        }
        var total = inputs.Sum(i => SizeOf(i.Tensor));
        return total > maxTotalBytes ? $"inputs total {total} bytes, over the limit of {maxTotalBytes} bytes" : null;
    }

    /// <summary>Bytes a tensor's data occupies: raw bytes, or the UTF-8 length of every string.</summary>
    public static long SizeOf(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.IsString
            ? tensor.Strings.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s))
            : tensor.Data.Length;
    }
}
