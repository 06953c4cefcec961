using Microsoft.ML.OnnxRuntime;
using Veritensor.Tensors;
using OrtElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Veritensor.Inference.Execution;

/// <summary>
/// Copies <see cref="Tensor"/>s into and out of ORT's native <see cref="OrtValue"/>s. Our raw bytes have ORT's
/// in-memory layout for every fixed-size type (little-endian; bool as one byte 0/1), so one byte copy serves all.
/// </summary>
internal static class OrtValueConversion
{
    public static OrtValue ToOrtValue(Tensor tensor)
    {
        var shape = tensor.Shape.ToArray();
        if (tensor.IsString)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            for (var i = 0; i < tensor.Strings.Count; i++)
                value.StringTensorSetElementAt(tensor.Strings[i].AsSpan(), i);
            return value;
        }
        var ortValue = OrtValue.CreateAllocatedTensorValue(
            OrtAllocator.DefaultInstance,
            (OrtElementType)(int)tensor.ElementType,
            shape
        );
        tensor.Data.Span.CopyTo(ortValue.GetTensorMutableRawData());
        return ortValue;
    }

    public static Tensor FromOrtValue(OrtValue value, string name)
    {
        if (!value.IsTensor)
            throw new InvalidOperationException($"output '{name}' is not a tensor");
        var info = value.GetTensorTypeAndShape();
        var type = (TensorElementType)(byte)(int)info.ElementDataType;
        if (!TensorElementTypes.IsDefined(type))
            throw new InvalidOperationException($"output '{name}' has unsupported element type {info.ElementDataType}");
        var shape = info.Shape;
        if (type == TensorElementType.String)
            return Tensor.FromStrings(shape, value.GetStringTensorAsArray());
        return Tensor.FromRaw(type, shape, value.GetTensorMutableRawData());
    }
}
