"""The support plan, the 통합지원회의 and the 별지 notices."""
