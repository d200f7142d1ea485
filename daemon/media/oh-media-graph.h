/* oh-media-graph.h: the GStreamer elements of a call's audio, linked
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "oh-media-format.h"

G_BEGIN_DECLS

/**
 * OhMediaGraphPart:
 * @OH_MEDIA_GRAPH_PART_OUTPUT: the user's speaker (the sink description)
 * @OH_MEDIA_GRAPH_PART_INPUT: the user's microphone (the source description)
 * @OH_MEDIA_GRAPH_PART_PROCESSING: everything in between
 */
typedef enum {
  OH_MEDIA_GRAPH_PART_OUTPUT,
  OH_MEDIA_GRAPH_PART_INPUT,
  OH_MEDIA_GRAPH_PART_PROCESSING,
} OhMediaGraphPart;

/**
 * OhMediaGraph:
 * @pipeline: the pipeline, owned
 * @appsrc: where received frames go in (owned by @pipeline)
 * @appsink: where captured audio comes out (owned by @pipeline)
 * @sink_bin: the speaker, parsed from the sink description (a reference)
 * @source_bin: the microphone, parsed from the source description (a reference)
 *
 *   playback: appsrc ! [mulawdec] ! [webrtcechoprobe] ! audioconvert
 *             ! audioresample ! <sink description>
 *   capture:  <source description> ! audioconvert ! audioresample
 *             ! [webrtcdsp] ! [mulawenc] ! appsink
 *
 * with conversions added where webrtcdsp needs another rate or byte order.
 */
typedef struct {
  GstElement *pipeline;
  GstElement *appsrc;
  GstElement *appsink;
  GstElement *sink_bin;
  GstElement *source_bin;
} OhMediaGraph;

gboolean         oh_media_graph_build     (OhMediaGraph         *graph,
                                           const OhMediaFormat  *format,
                                           const char           *source_desc,
                                           const char           *sink_desc,
                                           gboolean              dsp,
                                           GstClockTime          queue_limit,
                                           GError              **error);
void             oh_media_graph_clear     (OhMediaGraph *graph);
OhMediaGraphPart oh_media_graph_find_part (OhMediaGraph *graph,
                                           GstObject    *object);

G_END_DECLS
