namespace Veritensor.Cli.Yuma;

/// <summary>A vectors file that does not follow <c>veritensor.yuma-vectors/1</c>; the message names the JSON path at fault.</summary>
internal sealed class YumaFormatException : Exception
{
    public YumaFormatException(string message)
        : base(message) { }

    public YumaFormatException(string message, Exception inner)
        : base(message, inner) { }

    public YumaFormatException() { }
}
