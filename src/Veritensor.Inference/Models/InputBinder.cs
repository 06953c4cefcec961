using Veritensor.Tensors;

namespace Veritensor.Inference.Models;

/// <summary>
/// Gives names to tensors read from files that have none (ONNX test data often leaves TensorProto.name empty):
/// the i-th tensor binds to the i-th model input. Named tensors keep their names.
/// </summary>
public static class InputBinder
{
    public static IReadOnlyList<NamedTensor> BindByPosition(
        ModelSignature signature,
        IReadOnlyList<NamedTensor> tensors
    )
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(tensors);
        var bound = new NamedTensor[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var tensor = tensors[i];
            if (tensor.Name.Length > 0)
                bound[i] = tensor;
            else if (i < signature.Inputs.Count)
                bound[i] = tensor with { Name = signature.Inputs[i].Name };
            else
                throw new InputValidationException(
                    $"input {i} has no name and the model has only {signature.Inputs.Count} inputs"
                );
        }
        return bound;
    }
}
