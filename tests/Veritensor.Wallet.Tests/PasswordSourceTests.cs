namespace Veritensor.Wallet.Tests;

[UnitTest]
public sealed class PasswordSourceTests
{
    private static Func<string, string?> Environment(string? password) =>
        name => name == PasswordSource.EnvironmentVariable ? password : null;

    [Fact]
    public void The_environment_variable_wins_and_no_prompt_is_shown()
    {
        var prompts = 0;
        var source = new PasswordSource(
            _ =>
            {
                prompts++;
                return "typed";
            },
            Environment("from-env")
        );
        Assert.Equal("from-env", source.ForUnlock("alice"));
        Assert.Equal("from-env", source.ForNewColdkey("alice"));
        Assert.Equal(0, prompts);
    }

    [Fact]
    public void Without_the_variable_the_prompt_is_asked_about_the_named_wallet()
    {
        var questions = new List<string>();
        var source = new PasswordSource(
            q =>
            {
                questions.Add(q);
                return "typed";
            },
            Environment("")
        );
        Assert.Equal("typed", source.ForUnlock("alice"));
        Assert.Single(questions);
        Assert.Contains("'alice'", questions[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_password_is_prompted_twice_and_must_match()
    {
        var answers = new Queue<string>(["secret", "secret", "secret", "secreT"]);
        var source = new PasswordSource(_ => answers.Dequeue(), Environment(null));
        Assert.Equal("secret", source.ForNewColdkey("alice"));
        var e = Assert.Throws<WalletException>(() => source.ForNewColdkey("alice"));
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
        Assert.Equal("the two passwords do not match", e.Message);
        Assert.Empty(answers);
    }

    [Fact]
    public void Neither_variable_nor_terminal_is_a_clear_error()
    {
        var source = new PasswordSource(prompt: null, Environment(null));
        var e = Assert.Throws<WalletException>(() => source.ForUnlock("alice"));
        Assert.Equal(WalletErrorKind.NoPassword, e.Kind);
        Assert.Equal("no password: set VERITENSOR_PASSWORD or run in a terminal", e.Message);
        Assert.Throws<WalletException>(() => source.ForNewColdkey("alice"));
    }
}
