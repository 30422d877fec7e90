using System.Globalization;
using System.Text;

namespace Iot.Edge.Drivers.WeighingIndicator;

/// <summary>
/// Cuts a serial byte stream into lines with a bounded buffer. CR, LF and CR LF all end a line (A&amp;D indicators
/// offer CR or CR LF); empty lines are skipped. A line longer than the maximum is dropped whole and reported once;
/// a line holding a byte that is not printable ASCII is reported as bad. Nothing here throws on input.
/// </summary>
internal sealed class LineFramer
{
    readonly byte[] _buffer;
    int _length;
    bool _overlong;
    int _badByte = -1;

    public LineFramer(int maxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 8);
        _buffer = new byte[maxLineLength];
    }

    /// <summary>Feeds received bytes; calls <paramref name="line"/> for each complete line and <paramref name="bad"/> with a reason for each rejected one.</summary>
    public void Feed(ReadOnlySpan<byte> data, Action<string> line, Action<string> bad)
    {
        foreach (byte b in data)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                EndLine(line, bad);
                continue;
            }

            if (_overlong)
            {
                continue;
            }

            if (_length == _buffer.Length)
            {
                _overlong = true;
                continue;
            }

            if (_badByte < 0 && b is < 0x20 or > 0x7E)
            {
                _badByte = b;
            }

            _buffer[_length++] = b;
        }
    }

    void EndLine(Action<string> line, Action<string> bad)
    {
        if (_overlong)
        {
            bad(string.Create(CultureInfo.InvariantCulture, $"line longer than {_buffer.Length} bytes discarded"));
        }
        else if (_badByte >= 0)
        {
            bad(string.Create(CultureInfo.InvariantCulture, $"line with non-printable byte 0x{_badByte:X2} discarded"));
        }
        else if (_length > 0)
        {
            line(Encoding.ASCII.GetString(_buffer, 0, _length));
        }

        _length = 0;
        _overlong = false;
        _badByte = -1;
    }
}
