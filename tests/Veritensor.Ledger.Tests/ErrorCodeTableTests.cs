using System.Text.RegularExpressions;

namespace Veritensor.Ledger.Tests;

/// <summary>One table of error codes: docs/errors.md lists exactly the codes of <see cref="ErrorCode"/>, each with its status.</summary>
[UnitTest]
public sealed partial class ErrorCodeTableTests
{
    [Fact]
    public void The_documented_table_is_the_code_table()
    {
        var root = TestData.RepositoryRoot() ?? throw new InvalidOperationException("not run from a source checkout");
        var documented = File.ReadLines(Path.Combine(root, "docs", "errors.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => m.Groups[1].Value,
                m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
            );
        var actual = Enum.GetValues<ErrorCode>().ToDictionary(c => c.ToString(), ErrorCodes.HttpStatus);
        Assert.Equal(actual.OrderBy(e => e.Key), documented.OrderBy(e => e.Key));
    }

    [Fact]
    public void Codes_keep_their_numbers_and_status_classes()
    {
        // Codes are never renumbered (the CLI's --json and logs may store them by name, old clients by number).
        Assert.Equal(0, (int)ErrorCode.MalformedEncoding);
        Assert.Equal(10, (int)ErrorCode.InsufficientBalance);
        Assert.Equal(402, ErrorCodes.HttpStatus(ErrorCode.InsufficientBalance));
        Assert.Equal(401, ErrorCodes.HttpStatus(ErrorCode.Unauthorized));
        Assert.Equal(422, ErrorCodes.HttpStatus(ErrorCode.RecordMismatch));
        Assert.All(Enum.GetValues<ErrorCode>(), c => Assert.InRange(ErrorCodes.HttpStatus(c), 400, 599));
    }

    [GeneratedRegex(@"^\| `(\w+)` \| (\d{3}) \|")]
    private static partial Regex Row();
}
