namespace OAuthSmtp.Engine.Sending;

/// <summary>One reply as read off the wire by the engine: the code and MailKit-style text (lines joined by '\n').</summary>
internal readonly struct SmtpReplyLine
{
    public SmtpReplyLine(int code, string text)
    {
        Code = code;
        Text = text;
    }

    public int Code { get; }

    public string Text { get; }

    public bool IsSuccess => Code >= 200 && Code < 300;

    public override string ToString() => $"{Code} {Text}";
}
