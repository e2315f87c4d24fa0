import { Module } from '@nestjs/common';
import { FeedbackController } from './feedback.controller.js';
import { FeedbackRepository } from './feedback.repository.js';
import { FeedbackService } from './feedback.service.js';

/** Ratings of replies. Below threads: the thread routes show and export them through FeedbackRepository. */
@Module({ controllers: [FeedbackController], providers: [FeedbackService, FeedbackRepository], exports: [FeedbackRepository] })
export class FeedbackModule {}
