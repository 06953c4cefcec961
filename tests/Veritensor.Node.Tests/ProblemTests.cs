namespace Veritensor.Node.Tests;

/// <summary>The one reader of error answers that NodeClient, the role servers' HTTP client and the SDK share.</summary>
[UnitTest]
public sealed class ProblemTests
{
    [Fact]
    public void A_problem_document_gives_its_code_and_detail()
    {
        var problem = Client.Problem.Read(
            402,
            "Payment Required",
            """{"type":"urn:veritensor:error:InsufficientBalance","title":"InsufficientBalance","status":402,"detail":"holds 0","code":"InsufficientBalance"}"""
        );
        Assert.Equal(new Client.Problem(402, "InsufficientBalance", "holds 0"), problem);
    }

    [Fact]
    public void A_problem_without_detail_falls_back_to_its_title()
    {
        Assert.Equal(
            "Not Found",
            Client.Problem.Read(404, "Not Found", """{"title":"Not Found","status":404}""").Detail
        );
    }

    [Theory]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"code":42,"detail":["x"]}""")]
    public void Anything_else_keeps_the_status_and_no_code(string body)
    {
        var problem = Client.Problem.Read(502, "Bad Gateway", body);
        Assert.Equal(502, problem.Status);
        Assert.Null(problem.Code);
        Assert.StartsWith("HTTP 502", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_body_is_cut_before_it_reaches_a_message()
    {
        var problem = Client.Problem.Read(500, "Internal Server Error", new string('x', 100_000));
        Assert.True(problem.Detail.Length < 600, $"detail is {problem.Detail.Length} characters");
    }
}
