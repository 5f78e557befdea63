// What the person is told when a photo cannot be used for the face comparison, or the comparison is busy.
import type { QualityReason } from './quality.ts';

type Messages = Record<`face_${QualityReason}` | 'face_busy', string>;

export const th: Messages = {
  face_no_face: 'ไม่พบใบหน้าในภาพถ่ายคู่กับบัตร ถ่ายใหม่ให้เห็นใบหน้าเต็มและชัดเจน',
  face_two_people: 'พบใบหน้ามากกว่าหนึ่งคนในภาพถ่ายคู่กับบัตร ถ่ายใหม่โดยมีเพียงคุณคนเดียวถือบัตร',
  face_face_too_small: 'ใบหน้าในภาพถ่ายคู่กับบัตรเล็กเกินไป ถ่ายใหม่ให้ใกล้กล้องมากขึ้น',
  face_too_dark: 'ภาพถ่ายคู่กับบัตรมืดเกินไป ถ่ายใหม่ในที่มีแสงสว่างเพียงพอ',
  face_too_bright: 'ภาพถ่ายคู่กับบัตรสว่างจ้าเกินไป ถ่ายใหม่โดยไม่ให้แสงส่องเข้ากล้องโดยตรง',
  face_blurred: 'ภาพถ่ายคู่กับบัตรไม่ชัด (เบลอ) ถือกล้องให้นิ่งแล้วถ่ายใหม่',
  face_pose: 'ใบหน้าหันหรือเอียงมากเกินไป มองตรงไปที่กล้องแล้วถ่ายใหม่',
  face_card_face_not_found: 'ไม่พบรูปใบหน้าบนภาพด้านหน้าบัตร ถ่ายด้านหน้าบัตรใหม่ให้เห็นรูปบนบัตรชัดเจน',
  face_card_face_unclear: 'รูปใบหน้าบนบัตรเล็ก มืด หรือไม่ชัด ถ่ายด้านหน้าบัตรใหม่ให้ใกล้และชัดขึ้น',
  face_busy: 'ระบบเปรียบเทียบใบหน้ามีผู้ใช้งานมาก กรุณาส่งภาพอีกครั้งในอีกสักครู่',
};

export const en: Messages = {
  face_no_face: 'No face was found in the photo with your card. Take it again with your whole face clearly visible',
  face_two_people: 'More than one person is in the photo with your card. Take it again with only you holding the card',
  face_face_too_small: 'Your face is too small in the photo with your card. Take it again closer to the camera',
  face_too_dark: 'The photo with your card is too dark. Take it again in good light',
  face_too_bright: 'The photo with your card is too bright. Take it again without light shining into the camera',
  face_blurred: 'The photo with your card is blurred. Hold the camera still and take it again',
  face_pose: 'Your face is turned or tilted too far. Look straight at the camera and take it again',
  face_card_face_not_found: 'No portrait was found on the photo of the card’s front. Take it again with the card’s photo clearly visible',
  face_card_face_unclear: 'The portrait on the card is too small, dark or blurred. Take the card’s front again, closer and sharper',
  face_busy: 'The face comparison is busy. Please send your photos again in a moment',
};
