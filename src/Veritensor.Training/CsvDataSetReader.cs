using System.Globalization;

namespace Veritensor.Training;

/// <summary>
/// A classifier data set from CSV: one row per sample, numbers only (no header), the label in one column (an integer
/// class) and the features in the others. Rows, columns and line lengths are bounded, and a bad cell is named by its line
/// and column.
/// </summary>
public static class CsvDataSetReader
{
    public const int MaxRows = 1_000_000;
    public const int MaxColumns = 100_000;

    /// <summary>Reads every row of <paramref name="reader"/>.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="labelColumn">The label's column; negative counts from the end (−1, the last).</param>
    /// <param name="classes">How many classes there are: labels are 0 to classes − 1.</param>
    /// <param name="scale">Each feature is divided by this (16 for the 8×8 digits, whose pixels are 0..16).</param>
    public static DataSet Read(TextReader reader, int labelColumn, int classes, float scale = 1f)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var inputs = new List<float>();
        var labels = new List<int>();
        int? width = null;
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
                continue;
            if (labels.Count == MaxRows)
                throw new InvalidDataException($"more than {MaxRows} rows");
            var cells = text.Split(',', MaxColumns + 1);
            if (cells.Length > MaxColumns)
                throw new InvalidDataException($"line {line} has more than {MaxColumns} columns");
            width ??= cells.Length;
            if (cells.Length != width)
                throw new InvalidDataException($"line {line} has {cells.Length} columns, the first line {width}");
            var label = labelColumn < 0 ? cells.Length + labelColumn : labelColumn;
            if ((uint)label >= (uint)cells.Length)
                throw new InvalidDataException(
                    $"there is no column {labelColumn} for the label in {cells.Length} columns"
                );
            for (var c = 0; c < cells.Length; c++)
            {
                if (
                    !double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    || !double.IsFinite(value)
                )
                    throw new InvalidDataException($"line {line}, column {c + 1}: '{cells[c]}' is not a number");
                if (c != label)
                {
                    inputs.Add((float)(value / scale));
                    continue;
                }
                if (value != Math.Floor(value) || value < 0 || value >= classes)
                    throw new InvalidDataException($"line {line}: label {cells[c]} is not a class below {classes}");
                labels.Add((int)value);
            }
        }
        if (width is null)
            throw new InvalidDataException("the CSV holds no rows");
        return new DataSet([.. inputs], [.. labels], width.Value - 1, classes);
    }
}
