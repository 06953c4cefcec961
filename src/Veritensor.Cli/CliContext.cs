using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Veritensor.Cli;

/// <summary>Where a command writes: tables for people, JSON for scripts (--json). Tests pass their own writers.</summary>
internal sealed class CliContext
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Output for people and scripts, not for embedding in HTML: keep '+' in base64 and quotes in messages readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int UnboundedWidth = 400;

    public CliContext(TextWriter output, TextWriter error, bool json)
    {
        Output = output;
        Error = error;
        Json = json;
        Console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = ReferenceEquals(output, System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = ReferenceEquals(output, System.Console.Out)
                    ? ColorSystemSupport.Detect
                    : ColorSystemSupport.NoColors,
                Interactive = ReferenceEquals(output, System.Console.Out)
                    ? InteractionSupport.Detect
                    : InteractionSupport.No,
            }
        );
        // Spectre assumes 80 columns when not writing to a terminal, which wraps addresses and hashes inside table
        // cells; piped output and test writers get room for them instead.
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
            Console.Profile.Width = Math.Max(Console.Profile.Width, UnboundedWidth);
    }

    public TextWriter Output { get; }
    public TextWriter Error { get; }
    public bool Json { get; }

    /// <summary>Spectre console bound to <see cref="Output"/> for tables and markup.</summary>
    public IAnsiConsole Console { get; }

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Prints a two-column key/value table, or the object as JSON under --json.</summary>
    public void WriteRecord<T>(T value, IEnumerable<(string Key, string Value)> rows)
    {
        if (Json)
        {
            WriteJson(value);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("field").AddColumn("value");
        foreach (var (key, text) in rows)
            table.AddRow(Markup.Escape(key), Markup.Escape(text));
        Console.Write(table);
    }

    public void WriteTable<T>(IReadOnlyList<T> values, string[] headers, Func<T, string[]> row)
    {
        if (Json)
        {
            WriteJson(values);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
            table.AddColumn(Markup.Escape(header));
        foreach (var value in values)
            table.AddRow(row(value).Select(Markup.Escape).ToArray());
        Console.Write(table);
    }

    public void WriteLine(string text)
    {
        if (!Json)
            Output.WriteLine(text);
    }
}
