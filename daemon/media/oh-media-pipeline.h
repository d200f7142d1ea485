/* oh-media-pipeline.h: the audio of one call, between frames and devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "oh-media-format.h"

G_BEGIN_DECLS

/**
 * OhMediaAudioState:
 * @OH_MEDIA_AUDIO_STATE_NONE: no audio: stopped, or on hold
 * @OH_MEDIA_AUDIO_STATE_CONNECTING: waiting for the first frame from the PBX
 * @OH_MEDIA_AUDIO_STATE_FLOWING: frames from the PBX are arriving
 * @OH_MEDIA_AUDIO_STATE_STALLED: no frame arrived for a second
 * @OH_MEDIA_AUDIO_STATE_FAILED: a device could not be opened or failed;
 *   #OhMediaPipeline:last-error says why
 */
typedef enum {
  OH_MEDIA_AUDIO_STATE_NONE,
  OH_MEDIA_AUDIO_STATE_CONNECTING,
  OH_MEDIA_AUDIO_STATE_FLOWING,
  OH_MEDIA_AUDIO_STATE_STALLED,
  OH_MEDIA_AUDIO_STATE_FAILED,
} OhMediaAudioState;

const char *oh_media_audio_state_to_string (OhMediaAudioState state);

/**
 * OhMediaPipelineFlags:
 * @OH_MEDIA_PIPELINE_FLAGS_NONE: echo cancellation and noise suppression on
 * @OH_MEDIA_PIPELINE_FLAGS_NO_DSP: no echo cancellation or noise suppression
 *   (for tests and benchmarks, or a headset that cancels echo itself)
 */
typedef enum {
  OH_MEDIA_PIPELINE_FLAGS_NONE = 0,
  OH_MEDIA_PIPELINE_FLAGS_NO_DSP = 1 << 0,
} OhMediaPipelineFlags;

/**
 * OhMediaStats:
 * @frames_in: frames accepted by oh_media_pipeline_push_frame()
 * @frames_played: received frames that left the jitter buffer for the sink
 * @frames_dropped: received frames dropped to bound the latency (the oldest)
 * @frames_out: frames handed to the #OhMediaFrameFunc
 * @frames_out_dropped: captured frames dropped: sending paused, no frame
 *   function, or the main loop too far behind
 * @buffered_ms: received audio not played yet
 * @pending_out_bytes: captured audio waiting for the main loop
 * @latency_samples: how many frames the latency figures are based on
 * @latency_p50_ms: median time from oh_media_pipeline_push_frame() to the sink
 * @latency_p99_ms: 99th percentile of the same
 * @latency_max_ms: worst case of the same
 */
typedef struct _OhMediaStats {
  guint64 frames_in;
  guint64 frames_played;
  guint64 frames_dropped;
  guint64 frames_out;
  guint64 frames_out_dropped;
  guint buffered_ms;
  guint pending_out_bytes;
  guint64 latency_samples;
  double latency_p50_ms;
  double latency_p99_ms;
  double latency_max_ms;
} OhMediaStats;

/**
 * OhMediaFrameFunc:
 * @data: one frame of captured audio in the pipeline's format
 * @len: its size: always the format's `frame_bytes`
 * @user_data: what was given to oh_media_pipeline_set_frame_func()
 *
 * Receives the frames to send to the PBX, on the main context the pipeline
 * was created in, in real time. @data is only valid during the call.
 */
typedef void (*OhMediaFrameFunc) (const guint8 *data,
                                  gsize         len,
                                  gpointer      user_data);

#define OH_TYPE_MEDIA_PIPELINE (oh_media_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (OhMediaPipeline, oh_media_pipeline, OH, MEDIA_PIPELINE, GObject)

OhMediaPipeline   *oh_media_pipeline_new              (const OhMediaFormat  *format,
                                                       const char           *source_desc,
                                                       const char           *sink_desc,
                                                       GError              **error);
OhMediaPipeline   *oh_media_pipeline_new_full         (const OhMediaFormat  *format,
                                                       const char           *source_desc,
                                                       const char           *sink_desc,
                                                       OhMediaPipelineFlags  flags,
                                                       GError              **error);

void               oh_media_pipeline_set_frame_func   (OhMediaPipeline *self,
                                                       OhMediaFrameFunc func,
                                                       gpointer         user_data,
                                                       GDestroyNotify   destroy);
void               oh_media_pipeline_push_frame       (OhMediaPipeline *self,
                                                       GBytes          *frame);

void               oh_media_pipeline_set_muted        (OhMediaPipeline *self,
                                                       gboolean         muted);
gboolean           oh_media_pipeline_get_muted        (OhMediaPipeline *self);
void               oh_media_pipeline_set_held         (OhMediaPipeline *self,
                                                       gboolean         held);
gboolean           oh_media_pipeline_get_held         (OhMediaPipeline *self);
void               oh_media_pipeline_set_sending_paused (OhMediaPipeline *self,
                                                       gboolean         paused);
gboolean           oh_media_pipeline_get_sending_paused (OhMediaPipeline *self);
void               oh_media_pipeline_stop             (OhMediaPipeline *self);

OhMediaAudioState  oh_media_pipeline_get_audio_state  (OhMediaPipeline *self);
const char        *oh_media_pipeline_get_last_error   (OhMediaPipeline *self);
const OhMediaFormat *oh_media_pipeline_get_format     (OhMediaPipeline *self);
void               oh_media_pipeline_get_stats        (OhMediaPipeline *self,
                                                       OhMediaStats    *stats);
GstElement        *oh_media_pipeline_get_pipeline     (OhMediaPipeline *self);

G_END_DECLS
