import { describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import {
  DEFAULT_LOUDNESS,
  loudnormApplyFilter,
  loudnormMeasureArgs,
  parseLoudnormJson,
} from './loudnorm.js'

// Captured from this ffmpeg build (N-47683, 2018) with -loglevel level+info.
const STDERR = `[info] size=N/A time=00:00:02.00 bitrate=N/A speed=33.3x    
[info] video:0kB audio:1500kB subtitle:0kB other streams:0kB global headers:0kB
[Parsed_loudnorm_0 @ 0x14d7b040] [info] 
{
\t"input_i" : "-41.75",
\t"input_tp" : "-41.06",
\t"input_lra" : "0.00",
\t"input_thresh" : "-51.75",
\t"output_i" : "-40.95",
\t"output_tp" : "-40.23",
\t"output_lra" : "0.00",
\t"output_thresh" : "-50.95",
\t"normalization_type" : "linear",
\t"target_offset" : "24.95"
}
`

function measuredFrom(inputI: number) {
  return { inputI, inputTp: inputI + 3, inputLra: 2, inputThresh: inputI - 10, targetOffset: 0 }
}

describe('loudnorm', () => {
  it('builds measuring-pass arguments with the target and any pre-filters', () => {
    expect(
      loudnormMeasureArgs('/a/b.mp3', DEFAULT_LOUDNESS, ['aformat=channel_layouts=mono']),
    ).toEqual([
      '-i',
      'file:/a/b.mp3',
      '-map',
      '0:a:0',
      '-af',
      'aformat=channel_layouts=mono,loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json',
      '-f',
      'null',
      '-',
    ])
  })

  // The measured LRA of 0.00 goes out as 0.01: loudnorm reads 0 as "not measured" and would
  // quietly leave linear mode.
  it('builds a linear second-pass filter from the measurement', () => {
    const measured = parseLoudnormJson(STDERR)
    expect(loudnormApplyFilter(DEFAULT_LOUDNESS, measured)).toBe(
      'loudnorm=I=-16:TP=-1.5:LRA=11:measured_I=-41.75:measured_TP=-41.06:measured_LRA=0.01:' +
        'measured_thresh=-51.75:offset=24.95:linear=true',
    )
  })

  it('clamps measured values into the ranges loudnorm accepts', () => {
    const filter = loudnormApplyFilter(DEFAULT_LOUDNESS, {
      inputI: -120,
      inputTp: -Infinity,
      inputLra: 0,
      inputThresh: -130,
      targetOffset: Infinity,
    })
    expect(filter).toContain('measured_I=-99.00')
    expect(filter).toContain('measured_TP=-99.00')
    expect(filter).toContain('offset=99.00')
    expect(filter).toContain('measured_LRA=0.01')
    expect(filter).toContain('measured_thresh=-99.00')
    expect(
      loudnormApplyFilter(DEFAULT_LOUDNESS, { ...measuredFrom(-60), inputThresh: -70 }),
    ).toContain('measured_thresh=-69.99')
  })

  it('parses the JSON block, including -inf and inf for silence', () => {
    expect(parseLoudnormJson(STDERR)).toEqual({
      inputI: -41.75,
      inputTp: -41.06,
      inputLra: 0,
      inputThresh: -51.75,
      targetOffset: 24.95,
    })
    const silent = STDERR.replace('"-41.75"', '"-inf"').replace('"24.95"', '"inf"')
    expect(parseLoudnormJson(silent)).toMatchObject({ inputI: -Infinity, targetOffset: Infinity })
  })

  it('throws AUDIO_PROBE when there is no measurement', () => {
    expect(() => parseLoudnormJson('[error] Conversion failed!')).toThrow(AudioError)
  })
})
