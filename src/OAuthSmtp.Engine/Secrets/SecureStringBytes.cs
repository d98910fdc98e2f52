using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace OAuthSmtp.Engine.Secrets;

/// <summary>Moves secrets between SecureString and UTF-8 bytes, leaving no managed string behind.</summary>
internal static class SecureStringBytes
{
    public static byte[] ToUtf8(SecureString value)
    {
        var pointer = IntPtr.Zero;
        var characters = new char[value.Length];
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
            Marshal.Copy(pointer, characters, 0, characters.Length);
            return Encoding.UTF8.GetBytes(characters);
        }
        finally
        {
            Array.Clear(characters, 0, characters.Length);
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    public static SecureString FromUtf8(byte[] bytes)
    {
        var characters = Encoding.UTF8.GetChars(bytes);
        try
        {
            var result = new SecureString();
            foreach (var character in characters)
            {
                result.AppendChar(character);
            }

            result.MakeReadOnly();
            return result;
        }
        finally
        {
            Array.Clear(characters, 0, characters.Length);
        }
    }
}
