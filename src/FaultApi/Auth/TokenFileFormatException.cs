namespace FaultApi.Auth;

/// <summary>
/// A token file that is refused whole: its message names each bad line by number and what is wrong with it (never the
/// token text). At start the API does not start; on a reload the tokens read before stay in force.
/// </summary>
public sealed class TokenFileFormatException : FormatException
{
    public TokenFileFormatException()
    {
    }

    public TokenFileFormatException(string message)
        : base(message)
    {
    }

    public TokenFileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
